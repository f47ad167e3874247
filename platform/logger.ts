import pino, { type Logger, type DestinationStream } from 'pino';
import { logRedactionPaths, REDACTED } from './redaction';

/** Every secret-named field, wherever it sits in a logged object, is replaced before the line is written. */
const redactPaths = logRedactionPaths();

export function createLogger(
  options: { name?: string; level?: string } = {},
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: redactPaths, censor: REDACTED },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
