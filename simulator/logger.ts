import pino, { type Logger } from 'pino';

/** The simulator's own logger: it logs method, path, status and duration, never headers or bodies. */
export function simulatorLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'simulator', level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}

export type { Logger };
