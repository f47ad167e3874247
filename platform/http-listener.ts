import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface HttpListener {
  server: Server;
  /** Where a client on this machine reaches it (127.0.0.1 when listening on every interface). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on `host:port` (127.0.0.1 unless told otherwise; containers pass 0.0.0.0; port 0: any free
 * port). `close` ends the idle keep-alive connections and lets requests under way finish, or with
 * `dropOnClose` cuts every connection at once (a health endpoint has nothing worth finishing).
 */
export async function listen(
  app: Express,
  options: { port: number; host?: string; dropOnClose?: boolean },
): Promise<HttpListener> {
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port, host, (err?: Error) =>
      err ? reject(err) : resolve(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        if (options.dropOnClose) server.closeAllConnections();
        else server.closeIdleConnections();
      }),
  };
}
