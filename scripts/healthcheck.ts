/**
 * `node dist/scripts/healthcheck.js <url>`: the compose health checks (the runtime image has no curl).
 * Exit 0 when the URL answers 2xx within the timeout, 1 otherwise, with the reason on stderr.
 */
async function main(url: string | undefined, timeoutMs: number): Promise<number> {
  if (!url) {
    process.stderr.write('usage: node dist/scripts/healthcheck.js <url>\n');
    return 2;
  }
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (response.ok) return 0;
    process.stderr.write(`${url}: HTTP ${response.status} ${await response.text()}\n`);
  } catch (err) {
    process.stderr.write(`${url}: ${(err as Error).message}\n`);
  }
  return 1;
}

void main(process.argv[2], Number(process.env.HEALTHCHECK_TIMEOUT_MS ?? 4_000)).then((code) =>
  process.exit(code),
);
