import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import { IllegalStateError } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import type { Logger } from '../platform/logger';

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** SDK, workflow, activity and (forwarded) Core logs as pino JSON lines, redaction included. */
export class PinoSdkLogger implements SdkLogger {
  constructor(private readonly logger: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.logger[PINO_LEVEL[level]]({ ...meta }, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

export interface RuntimeInstallOptions {
  /** Signals on which the Runtime shuts workers down by itself; [] when the caller orchestrates shutdown. */
  shutdownSignals?: NodeJS.Signals[];
}

/**
 * Installs the process-wide Temporal Runtime once, before any Worker or NativeConnection exists
 * (Runtime.install throws afterwards); later calls return the installed Runtime.
 */
export function installRuntime(logger: Logger, options: RuntimeInstallOptions = {}): Runtime {
  try {
    return Runtime.install({
      logger: new PinoSdkLogger(logger.child({ component: 'temporal-sdk' })),
      telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
      ...(options.shutdownSignals ? { shutdownSignals: options.shutdownSignals } : {}),
    });
  } catch (err) {
    if (err instanceof IllegalStateError) return Runtime.instance();
    throw err;
  }
}
