import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../platform/config';
import type { Logger } from '../platform/logger';
import type { AesGcmPayloadCodec } from '../platform/payload-codec';
import { createApp, type AppDependencies } from './app';
import { loadApiKeys } from './auth';

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
  const host = options.host ?? '127.0.0.1';
  const app = createApp(options);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port, host, (err?: Error) =>
      err ? reject(err) : resolve(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
