import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpTarget {
  url: string;
  /** Requests received, by path. */
  hits: Record<string, number>;
  close(): Promise<void>;
}

/** A tiny local HTTP server: `/status/<code>` answers with that status code. */
export async function startHttpTarget(): Promise<HttpTarget> {
  const hits: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits[path] = (hits[path] ?? 0) + 1;
    const code = /^\/status\/(\d{3})$/.exec(path)?.[1];
    res.writeHead(code ? Number(code) : 404, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
