import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import got from 'got';
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
  /**
   * `host:port` where the SDK's own Prometheus exporter listens (`temporal_*` series: task
   * latencies, slots, polls, sticky cache…); the worker's `/metrics` reads and appends it.
   */
  metricsAddress?: string;
}

let installedMetricsAddress: string | undefined;

/**
 * Installs the process-wide Temporal Runtime once, before any Worker or NativeConnection exists
 * (Runtime.install throws afterwards); later calls return the installed Runtime.
 */
export function installRuntime(logger: Logger, options: RuntimeInstallOptions = {}): Runtime {
  try {
    const runtime = Runtime.install({
      logger: new PinoSdkLogger(logger.child({ component: 'temporal-sdk' })),
      telemetryOptions: {
        logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
        ...(options.metricsAddress
          ? { metrics: { prometheus: { bindAddress: options.metricsAddress } } }
          : {}),
      },
      ...(options.shutdownSignals ? { shutdownSignals: options.shutdownSignals } : {}),
    });
    installedMetricsAddress = options.metricsAddress;
    return runtime;
  } catch (err) {
    if (err instanceof IllegalStateError) return Runtime.instance();
    throw err;
  }
}

/** Where the installed Runtime's Prometheus exporter answers, if it has one. */
export function sdkMetricsUrl(): string | undefined {
  if (!installedMetricsAddress) return undefined;
  const [host, port] = splitHostPort(installedMetricsAddress);
  // An exporter bound to every interface is read on loopback.
  const reachable = host === '0.0.0.0' || host === '[::]' || host === '' ? '127.0.0.1' : host;
  return `http://${reachable}:${port}/metrics`;
}

function splitHostPort(address: string): [string, string] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), address.slice(at + 1)];
}

/** The SDK exporter's text, or undefined when it does not answer within the deadline. */
export async function readSdkMetrics(url: string, timeoutMs = 2_000): Promise<string | undefined> {
  try {
    const response = await got(url, {
      timeout: { request: timeoutMs },
      retry: { limit: 0 },
      throwHttpErrors: false,
    });
    return response.statusCode === 200 ? response.body : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A free loopback port for the SDK exporter (which cannot report the port it chose itself): the
 * port is released just before the Runtime binds it, on a host where nothing else races for it.
 */
export async function freeLoopbackAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}
