/**
 * A deliberately dumb HTTP client for hostile requests: the request target goes out exactly as
 * generated (no URL normalisation, no re-encoding, `..` and `%2e%2e` kept), bodies and headers as
 * given. got (and WHATWG URL) would resolve dot segments and re-encode the path, which is exactly
 * what these requests must not have done to them. `raw` requests are written byte for byte on a
 * socket, for what Node's own client refuses to send (NUL and control characters, broken framing).
 */
import http from 'node:http';
import net from 'node:net';

export interface FuzzRequest {
  /** Category name (one row of the printed table). */
  category: string;
  /** The policy route it aims at (`POST /v1/invoices`), or a label for paths outside the table. */
  route: string;
  method: string;
  /** Request target, sent as is: path and query string. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The whole request as bytes, written on a socket instead of going through the HTTP client. */
  raw?: Buffer;
  /** What is wrong with the request, for failure messages. */
  defect: string;
  /** Statuses the API documents for this defect (recorded, not enforced: any 4xx passes). */
  expect?: readonly number[];
  /**
   * Set when the request exercises a documented gap of the current API (see KNOWN_GAPS): it is
   * counted but only sent when FUZZ_KNOWN_GAPS=1.
   */
  knownGap?: string;
}

export interface FuzzResponse {
  /** 0 when no status line came back. */
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** A network error, a timeout, or a socket closed without an answer. */
  error?: string;
  ms: number;
}

export interface Target {
  host: string;
  port: number;
  agent: http.Agent;
}

export function targetOf(baseUrl: string, maxSockets: number): Target {
  const url = new URL(baseUrl);
  return {
    host: url.hostname,
    port: Number(url.port),
    agent: new http.Agent({ keepAlive: true, maxSockets }),
  };
}

/** Generous: a hang is a failure, but an answer may take a while when Temporal retries. */
const TIMEOUT_MS = 30_000;

export function send(target: Target, request: FuzzRequest): Promise<FuzzResponse> {
  return request.raw ? sendRaw(target, request.raw) : sendHttp(target, request);
}

function sendHttp(target: Target, request: FuzzRequest): Promise<FuzzResponse> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (response: Omit<FuzzResponse, 'ms'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...response, ms: Date.now() - started });
    };
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
    let req: http.ClientRequest;
    try {
      req = http.request(
        {
          host: target.host,
          port: target.port,
          agent: target.agent,
          method: request.method,
          path: request.path,
          headers,
          timeout: TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', (err) =>
            done({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
              error: err.message,
            }),
          );
        },
      );
    } catch (err) {
      // The generator produced something Node's client will not put on the wire: a test bug.
      throw new Error(
        `cannot send ${request.method} ${JSON.stringify(request.path)}: ${(err as Error).message}`,
      );
    }
    req.on('timeout', () => {
      req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`));
    });
    req.on('error', (err: NodeJS.ErrnoException) =>
      done({ status: 0, headers: {}, body: Buffer.alloc(0), error: err.code ?? err.message }),
    );
    req.end(request.body);
  });
}

/** Writes the bytes, reads until the server closes (the requests say `Connection: close`). */
function sendRaw(target: Target, bytes: Buffer): Promise<FuzzResponse> {
  const started = Date.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const socket = net.connect({ host: target.host, port: target.port });
    socket.setTimeout(TIMEOUT_MS, () => {
      error = `no answer within ${TIMEOUT_MS} ms`;
      socket.destroy();
    });
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error ??= err.code ?? err.message;
    });
    socket.on('close', () => {
      const { status, headers, body } = parseResponse(Buffer.concat(chunks));
      resolve({
        status,
        headers,
        body,
        error: status === 0 ? (error ?? 'closed without an answer') : undefined,
        ms: Date.now() - started,
      });
    });
  });
}

/** The first response on the socket: status, lower-cased headers and the body as far as framed. */
function parseResponse(data: Buffer): { status: number; headers: http.IncomingHttpHeaders; body: Buffer } {
  const end = data.indexOf('\r\n\r\n');
  const head = (end >= 0 ? data.subarray(0, end) : data).toString('latin1');
  const [statusLine, ...lines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0);
  const headers: http.IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = end >= 0 ? data.subarray(end + 4) : Buffer.alloc(0);
  const length = Number(headers['content-length']);
  if (Number.isInteger(length)) body = body.subarray(0, length);
  else if (String(headers['transfer-encoding'] ?? '').includes('chunked')) body = unchunk(body);
  return { status, headers, body };
}

function unchunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
