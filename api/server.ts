import type { AppConfig } from '../platform/config';
import { listen } from '../platform/http-listener';
import type { Logger } from '../platform/logger';
import type { AesGcmPayloadCodec } from '../platform/payload-codec';
import { createApp, type AppDependencies } from './app';
import { loadApiKeys } from './auth';
import { BatchStarter } from './invoice-batches';

/** The API's keys, rate limit and codec settings from configuration. */
export function apiAccessFromConfig(config: AppConfig, codec: AesGcmPayloadCodec, logger: Logger) {
  return {
    keys: loadApiKeys({
      inline: config.api.keysInline,
      file: config.api.keysFile,
      production: config.production,
      logger,
    }),
    codec,
    rateLimitPerMinute: config.api.rateLimitPerMinute,
    codecCorsOrigins: config.api.codecCorsOrigins,
  } satisfies Partial<AppDependencies>;
}

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on `host:port` (127.0.0.1 unless told otherwise; containers pass 0.0.0.0). */
export async function startApiServer(
  options: AppDependencies & { port: number; host?: string },
): Promise<ApiServer> {
  // Batches left half-started by a process that stopped are taken over by the next one.
  const batchStarter =
    options.batchStarter ??
    new BatchStarter({
      client: options.client,
      db: options.db,
      taskQueue: options.taskQueue,
      timings: options.timings,
      logger: options.logger,
    });
  const app = createApp({ ...options, batchStarter });
  const { server, url, port, close } = await listen(app, options);
  // Requests Node's HTTP parser refuses (bad request line, headers too large) still get the JSON
  // error shape rather than a bare status line.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const body = JSON.stringify({
      error: tooLarge
        ? { code: 'headers_too_large', message: 'The request headers are too large.' }
        : { code: 'bad_request', message: 'The request is not valid HTTP.' },
    });
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  batchStarter.startSweeping();
  return {
    url,
    port,
    close: async () => {
      await close();
      await batchStarter.stop();
    },
  };
}
