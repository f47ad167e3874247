import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { defaultPayloadConverter } from '@temporalio/common';
import { createLogger } from '../../platform/logger';
import {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  loadPayloadCodec,
  parsePayloadKeys,
} from '../../platform/payload-codec';

const text = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? []).toString('utf8');
const payloadOf = (value: unknown) => defaultPayloadConverter.toPayload(value);

describe('payload codec (AES-256-GCM)', () => {
  const k1 = { id: 'k1', key: randomBytes(32) };
  const k2 = { id: 'k2', key: randomBytes(32) };

  it('encrypts with the active key, names it in the metadata, and decrypts back to the same payload', async () => {
    const codec = new AesGcmPayloadCodec([k1, k2]);
    const original = payloadOf({ siret: '11000000000015', secret: 'mot-de-passe' });
    const [encrypted] = await codec.encode([original]);
    expect(text(encrypted.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted.metadata?.[KEY_ID_METADATA])).toBe('k1');
    expect(Buffer.from(encrypted.data!).toString('latin1')).not.toContain('mot-de-passe');
    const [decoded] = await codec.decode([encrypted]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual({
      siret: '11000000000015',
      secret: 'mot-de-passe',
    });
    // A fresh IV each time: the same value never encrypts the same way twice.
    const [again] = await codec.encode([original]);
    expect(Buffer.from(again.data!).equals(Buffer.from(encrypted.data!))).toBe(false);
  });

  it('rotates keys: a new active key encrypts, payloads from the old key still open', async () => {
    const before = new AesGcmPayloadCodec([k1]);
    const after = new AesGcmPayloadCodec([k1, k2], 'k2');
    const [old] = await before.encode([payloadOf('ancien')]);
    const [fresh] = await after.encode([payloadOf('nouveau')]);
    expect(text(fresh.metadata?.[KEY_ID_METADATA])).toBe('k2');
    const decoded = await after.decode([old, fresh]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(['ancien', 'nouveau']);
    await expect(before.decode([fresh])).rejects.toThrow(/key "k2", which is not configured/);
  });

  it('refuses a tampered payload and a key id swapped in the metadata', async () => {
    const codec = new AesGcmPayloadCodec([k1, { id: 'k3', key: k1.key }]);
    const [encrypted] = await codec.encode([payloadOf('intact')]);
    const data = Buffer.from(encrypted.data!);
    data[data.length - 1] ^= 1;
    await expect(codec.decode([{ ...encrypted, data }])).rejects.toThrow(/does not authenticate/);
    // Same key bytes under another id: the id is bound into the tag.
    const relabelled = {
      ...encrypted,
      metadata: { ...encrypted.metadata, [KEY_ID_METADATA]: Buffer.from('k3') },
    };
    await expect(codec.decode([relabelled])).rejects.toThrow(/does not authenticate/);
  });

  it('passes payloads that are not encrypted through decode unchanged', async () => {
    const plain = payloadOf({ a: 1 });
    expect(await new AesGcmPayloadCodec([k1]).decode([plain])).toEqual([plain]);
  });

  it('reads PAYLOAD_KEYS and says what is wrong with a bad one', () => {
    const spec = `k1:${k1.key.toString('base64')}, k2:${k2.key.toString('base64')}`;
    expect(parsePayloadKeys(spec).map((k) => k.id)).toEqual(['k1', 'k2']);
    expect(() => parsePayloadKeys('k1:c2hvcnQ=')).toThrow(/"k1" is 5 bytes once decoded, not 32/);
    expect(() => parsePayloadKeys('nocolon')).toThrow(/"<key id>:<base64 of 32 bytes>"/);
    expect(() => new AesGcmPayloadCodec([k1], 'k9')).toThrow(/active payload key "k9"/);
  });

  it('generates a development key once, with a warning, and refuses to run without keys in production', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'payload-key-'));
    const lines: string[] = [];
    const logger = createLogger(
      { name: 't', level: 'warn' },
      new Writable({
        write(chunk: Buffer, _e, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const first = loadPayloadCodec({ dataDir, production: false, logger });
    const second = loadPayloadCodec({ dataDir, production: false, logger });
    expect(first.activeKeyId).toBe('dev');
    expect(second.keyIds).toEqual(['dev']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PAYLOAD_KEYS is not set');
    expect(lines[0]).not.toContain(readFileSync(path.join(dataDir, 'payload-key'), 'utf8').trim().slice(4));
    expect(statSync(path.join(dataDir, 'payload-key')).mode & 0o777).toBe(0o600);
    expect(() => loadPayloadCodec({ dataDir, production: true })).toThrow(
      /PAYLOAD_KEYS must be set in production/,
    );
  });
});
