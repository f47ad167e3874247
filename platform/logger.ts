import pino, { type Logger, type DestinationStream } from 'pino';

/**
 * Every field name that may carry a secret, wherever it sits in a logged object.
 * pino replaces the value before the line is written, so no secret reaches a log sink.
 */
export const SECRET_FIELD_NAMES = [
  'clientSecret',
  'client_secret',
  'password',
  'motDePasse',
  'access_token',
  'accessToken',
  'token',
  'authorization',
  'Authorization',
  'cpro-account',
  'cproAccount',
  'apiKey',
  'secret',
  'sealingKey',
  'encryptionKey',
] as const;

const redactPaths = SECRET_FIELD_NAMES.flatMap((name) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`;
  const dotted = key.startsWith('[') ? key : `.${key}`;
  return [key, `*${dotted}`, `*.*${dotted}`, `*.*.*${dotted}`];
});

export function createLogger(
  options: { name?: string; level?: string } = {},
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: redactPaths, censor: '[REDACTED]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
