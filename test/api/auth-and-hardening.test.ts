import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import request from 'supertest';
import { createApp, type AppDependencies } from '../../api/app';
import { createTestRecords } from '../helpers/database';
import { ApiKeyRegistry, hashApiKey, loadApiKeys, RateLimiter } from '../../api/auth';
import { FileSystemBlobStore } from '../../platform/blob-store';
import { FileConnectionDirectory } from '../../platform/connections';
import { createLogger } from '../../platform/logger';
import { AesGcmPayloadCodec } from '../../platform/payload-codec';
import { main as apiKeyCommand } from '../../scripts/api-key';

/** Keys, limits, headers and the codec endpoints: the parts of the API that need no workflow. */

const dataDir = mkdtempSync(path.join(tmpdir(), 'api-auth-'));
const codec = new AesGcmPayloadCodec([{ id: 'k1', key: Buffer.alloc(32, 3) }]);
const UI = 'http://localhost:8233';
const nowhere = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 200 });

let records: Awaited<ReturnType<typeof createTestRecords>>;
beforeAll(async () => {
  records = await createTestRecords('auth_test');
});
afterAll(async () => {
  await records?.close();
});

function app(overrides: Partial<AppDependencies> = {}) {
  return createApp({
    db: records.db,
    webhookTargets: records.webhookTargets,
    webhookSecrets: records.webhookSecrets,
    client: new Client({ connection: nowhere }),
    logger: createLogger({ name: 'auth-test', level: 'silent' }),
    blobs: new FileSystemBlobStore(path.join(dataDir, 'blobs')),
    connections: new FileConnectionDirectory(path.join(dataDir, 'connections.json')),
    taskQueue: 'auth-test',
    keys: ApiKeyRegistry.development(),
    codec,
    ...overrides,
  });
}

function capture() {
  const lines: string[] = [];
  const logger = createLogger(
    { name: 't', level: 'info' },
    new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  return { lines, logger };
}

afterAll(() => nowhere.close());

describe('API keys', () => {
  it('are configured as hashes (inline or in a file) with a role and connections', async () => {
    const file = path.join(dataDir, 'keys.json');
    writeFileSync(
      file,
      JSON.stringify([{ id: 'ops', role: 'staff', connections: ['acme'], hash: hashApiKey('k-ops') }]),
    );
    const keys = loadApiKeys({
      inline: JSON.stringify([{ id: 'erp', role: 'system', connections: ['*'], hash: hashApiKey('k-erp') }]),
      file,
      production: true,
    });
    expect(keys.development).toBe(false);
    expect(keys.authenticate('k-ops')?.id).toBe('ops');
    expect(keys.authenticate('k-erp')?.role).toBe('system');
    expect(keys.authenticate('dev-key-staff')).toBeUndefined();
    expect(JSON.stringify(keys.list())).not.toContain('sha256');
    const me = await request(app({ keys }))
      .get('/v1/me')
      .set('authorization', 'Bearer k-ops')
      .set('x-acting-user', 'Marie Dupont')
      .expect(200);
    expect(me.body).toEqual({ keyId: 'ops', role: 'staff', connections: ['acme'], user: 'Marie Dupont' });
  });

  it('say exactly what is wrong with a bad key file', () => {
    expect(() =>
      loadApiKeys({ inline: '[{"id":"x","role":"boss","connections":[],"hash":"abc"}]', production: false }),
    ).toThrow(
      /API_KEYS is invalid: 0\.role: .*; 0\.connections: at least one connection id, or \["\*"\]; 0\.hash: "sha256:" followed by 64 hex digits/,
    );
    expect(() => loadApiKeys({ inline: '{not json', production: false })).toThrow(
      /API_KEYS is not valid JSON/,
    );
    const twice = { id: 'a', role: 'staff', connections: ['*'], hash: hashApiKey('1') };
    expect(() => loadApiKeys({ inline: JSON.stringify([twice, twice]), production: false })).toThrow(
      /"a" is configured twice/,
    );
  });

  it('without configuration: development keys and a loud warning; in production, a refusal', () => {
    const { lines, logger } = capture();
    const keys = loadApiKeys({ production: false, logger });
    expect(keys.development).toBe(true);
    expect(keys.authenticate('dev-key-auditor')?.role).toBe('auditor');
    expect(lines.join('')).toContain('DEVELOPMENT MODE');
    expect(lines.join('')).toContain('"level":40');
    expect(() => loadApiKeys({ production: true })).toThrow(/No API keys configured: set API_KEYS_FILE/);
  });

  it('the API process refuses to start in production without configuration', () => {
    const result = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', path.join(__dirname, '../../api/main.ts')],
      {
        env: {
          ...process.env,
          NODE_ENV: 'production',
          DATA_DIR: mkdtempSync(path.join(tmpdir(), 'prod-')),
          API_PORT: '3999',
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Cannot start:');
    expect(result.stderr).toMatch(/PAYLOAD_KEYS must be set in production/);
    expect(result.stderr).toMatch(/No API keys configured: set API_KEYS_FILE/);
    expect(result.stderr).toMatch(/sealing key/i);
  });

  it('`npm run api-key` prints a new key once and an entry holding only its hash', () => {
    const file = path.join(dataDir, 'made.json');
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      expect(
        apiKeyCommand(['--id', 'erp-acme', '--role', 'system', '--connections', 'acme', '--file', file]),
      ).toBe(0);
      expect(apiKeyCommand(['--id', 'erp-acme', '--role', 'system', '--file', file])).toBe(1);
    } finally {
      write.mockRestore();
    }
    const key = /\n(cpk_[A-Za-z0-9_-]{43})\n/.exec(out.join(''))?.[1];
    expect(key).toBeDefined();
    const saved = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
    expect(saved).toEqual([
      { id: 'erp-acme', role: 'system', connections: ['acme'], hash: hashApiKey(key!) },
    ]);
    expect(readFileSync(file, 'utf8')).not.toContain(key!);
  });
});

describe('request hardening', () => {
  it('limits each key to its rate and says when to retry (429 + Retry-After); other keys are unaffected', async () => {
    const limited = app({ rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++)
      await request(limited).get('/v1/me').set('authorization', 'Bearer dev-key-staff').expect(200);
    const refused = await request(limited)
      .get('/v1/me')
      .set('authorization', 'Bearer dev-key-staff')
      .expect(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await request(limited).get('/v1/me').set('authorization', 'Bearer dev-key-admin').expect(200);
  });

  it('slows down guessing: refused keys from one address are limited too', async () => {
    const guarded = app({ rateLimitPerMinute: 1 });
    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 70; i++) {
      statuses.push((await request(guarded).get('/v1/me').set('authorization', `Bearer guess-${i}`)).status);
    }
    const elapsedSeconds = (Date.now() - started) / 1000;
    // A bucket of 60 refused attempts a minute per address: 60 at once, then one more a second.
    expect(statuses.slice(0, 60).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(60).every((s) => s === 401 || s === 429)).toBe(true);
    const refusedAsGuesses = statuses.slice(60).filter((s) => s === 401).length;
    expect(refusedAsGuesses).toBeLessThanOrEqual(Math.ceil(elapsedSeconds));
    if (elapsedSeconds < 9) expect(statuses.slice(60)).toContain(429);
  });

  it('refreshes tokens over time (token bucket)', () => {
    let now = 0;
    const limiter = new RateLimiter(60, () => now);
    for (let i = 0; i < 60; i++) expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBe(1);
    now += 1_000;
    expect(limiter.take('k')).toBe(0);
  });

  it('sends security headers on every answer, and no CORS header outside the codec endpoints', async () => {
    const a = app();
    for (const res of [
      await request(a).get('/v1/me').set('authorization', 'Bearer dev-key-staff').set('origin', UI),
      await request(a).get('/v1/nope').set('origin', 'https://evil.example'),
    ]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    const preflight = await request(a)
      .options('/v1/invoices')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('keeps ordinary bodies small (413) while invoices with attachments may be large', async () => {
    const a = app();
    const big = JSON.stringify({ id: 'x'.repeat(300 * 1024) });
    const tooLarge = await request(a)
      .post('/v1/connections')
      .set('authorization', 'Bearer dev-key-admin')
      .set('content-type', 'application/json')
      .send(big)
      .expect(413);
    expect(tooLarge.body.error.code).toBe('payload_too_large');
    const invoice = await request(a)
      .post('/v1/invoices')
      .set('authorization', 'Bearer dev-key-system')
      .set('content-type', 'application/json')
      .send(
        JSON.stringify({ attachments: [{ fileName: 'a.pdf', contentBase64: 'A'.repeat(2 * 1024 * 1024) }] }),
      );
    expect(invoice.status).toBe(400);
    expect(invoice.body.error.code).toBe('validation_failed');
  });

  it('refuses an unreadable X-Acting-User header with a field message', async () => {
    const res = await request(app())
      .get('/v1/me')
      .set('authorization', 'Bearer dev-key-staff')
      .set('x-acting-user', '<script>')
      .expect(400);
    expect(res.body.error.fields['X-Acting-User']).toMatch(/up to 120/);
  });

  it('needs a key for the API in any letter case, and knows routes only as the policy table spells them', async () => {
    const a = app();
    await request(a).post('/V1/invoices').send({}).expect(401);
    await request(a).get('/V1/keys').expect(401);
    const other = await request(a)
      .post('/v1/Invoices')
      .set('authorization', 'Bearer dev-key-auditor')
      .send({});
    expect([other.status, other.body.error.code]).toEqual([404, 'not_found']);
  });

  it('refuses a body it would not read (415) and "__proto__" keys (400)', async () => {
    const a = app();
    const text = await request(a)
      .post('/v1/invoices/invoice%3Aacme%3AF-1/cancel')
      .set('authorization', 'Bearer dev-key-staff')
      .set('content-type', 'text/plain')
      .send('please cancel')
      .expect(415);
    expect(text.body.error.code).toBe('unsupported_media_type');
    const proto = await request(a)
      .post('/v1/connections')
      .set('authorization', 'Bearer dev-key-admin')
      .set('content-type', 'application/json')
      .send('{"__proto__": {"admin": true}}')
      .expect(400);
    expect(proto.body.error.message).toContain('__proto__');
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const res = await request(app())
      .delete('/v1/invoices')
      .set('authorization', 'Bearer dev-key-system')
      .expect(405);
    expect(res.headers.allow).toContain('GET');
    expect(res.body.error.code).toBe('method_not_allowed');
  });
});

describe('codec endpoints', () => {
  const payload = defaultPayloadConverter.toPayload({ invoiceNumber: 'F-1' });
  const asJson = {
    payloads: [
      {
        metadata: Object.fromEntries(
          Object.entries(payload.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
        ),
        data: Buffer.from(payload.data!).toString('base64'),
      },
    ],
  };

  it('encode then decode gives the payload back, for auditors only', async () => {
    const a = app();
    const encoded = await request(a)
      .post('/v1/codec/encode')
      .set('authorization', 'Bearer dev-key-auditor')
      .send(asJson)
      .expect(200);
    expect(Buffer.from(encoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe(
      'binary/encrypted',
    );
    const decoded = await request(a)
      .post('/v1/codec/decode')
      .set('authorization', 'Bearer dev-key-auditor')
      .send(encoded.body)
      .expect(200);
    expect(decoded.body).toEqual(asJson);
    await request(a)
      .post('/v1/codec/decode')
      .set('authorization', 'Bearer dev-key-staff')
      .send(encoded.body)
      .expect(403);
  });

  it('answers the Temporal Web UI origin with CORS; in development its calls need no key', async () => {
    const a = app();
    const preflight = await request(a)
      .options('/v1/codec/decode')
      .set('origin', UI)
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'content-type,x-namespace')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(UI);
    expect(preflight.headers['access-control-allow-headers']).toContain('X-Namespace');
    const decoded = await request(a).post('/v1/codec/decode').set('origin', UI).send(asJson).expect(200);
    expect(decoded.headers['access-control-allow-origin']).toBe(UI);
    // With configured keys, the UI must send an auditor key like anyone else.
    const configured = app({
      keys: new ApiKeyRegistry([
        { id: 'aud', role: 'auditor', connections: ['*'], hash: hashApiKey('k-aud') },
      ]),
    });
    await request(configured).post('/v1/codec/decode').set('origin', UI).send(asJson).expect(401);
    await request(configured)
      .post('/v1/codec/decode')
      .set('origin', UI)
      .set('authorization', 'Bearer k-aud')
      .send(asJson)
      .expect(200);
  });

  it('refuses bad base64 and payloads it cannot open with a clear 400', async () => {
    const a = app();
    const bad = await request(a)
      .post('/v1/codec/decode')
      .set('authorization', 'Bearer dev-key-auditor')
      .send({ payloads: [{ metadata: { encoding: '!!!' }, data: 'abc' }] })
      .expect(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(
      expect.arrayContaining(['payloads.0.metadata.encoding', 'payloads.0.data']),
    );
    const [foreign] = await new AesGcmPayloadCodec([{ id: 'other', key: Buffer.alloc(32, 9) }]).encode([
      payload,
    ]);
    const unknown = await request(a)
      .post('/v1/codec/decode')
      .set('authorization', 'Bearer dev-key-auditor')
      .send({
        payloads: [
          {
            metadata: Object.fromEntries(
              Object.entries(foreign.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
            ),
            data: Buffer.from(foreign.data!).toString('base64'),
          },
        ],
      })
      .expect(400);
    expect(unknown.body.error).toEqual({
      code: 'undecodable_payload',
      message: expect.stringContaining('key "other", which is not configured'),
    });
  });
});
