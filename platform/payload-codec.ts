import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Logger } from './logger';

/**
 * Every payload the service hands to Temporal (workflow inputs, activity arguments and results,
 * updates, signals, queries, memos) is encrypted before it leaves the process: AES-256-GCM with a
 * fresh 12-byte IV, the key id in the payload's metadata (and bound into the tag as associated
 * data). Several keys may be configured: the active one encrypts, every one decrypts, so keys are
 * rotated by adding a new active key and keeping the old ones until no history needs them.
 *
 * Encrypted payload: metadata `encoding: binary/encrypted`, `encryption-key-id: <id>`;
 * data = IV (12) ‖ tag (16) ‖ ciphertext of the original Payload (protobuf bytes).
 */

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export class PayloadKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadKeyError';
  }
}

export interface PayloadKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

const text = (value: string) => new TextEncoder().encode(value);
const decodeText = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  readonly activeKeyId: string;

  /** `keys[0]` is active unless `activeKeyId` names another. */
  constructor(keys: PayloadKey[], activeKeyId?: string) {
    if (keys.length === 0) throw new PayloadKeyError('at least one payload key is needed');
    for (const k of keys) {
      if (!KEY_ID.test(k.id)) throw new PayloadKeyError(`payload key id "${k.id}" must match ${KEY_ID}`);
      if (k.key.length !== 32) throw new PayloadKeyError(`payload key "${k.id}" must be 32 bytes`);
    }
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
    this.activeKeyId = activeKeyId ?? keys[0].id;
    if (!this.byId.has(this.activeKeyId)) {
      throw new PayloadKeyError(`the active payload key "${this.activeKeyId}" is not among the keys`);
    }
  }

  get keyIds(): string[] {
    return [...this.byId.keys()];
  }

  /** A key for another purpose (e.g. signing page tokens), derived from the active key with HKDF. */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.byId.get(this.activeKeyId)!, Buffer.alloc(0), purpose, 32));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.byId.get(this.activeKeyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(this.activeKeyId));
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
      return {
        metadata: {
          encoding: text(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: text(this.activeKeyId),
        },
        data: Buffer.concat([iv, cipher.getAuthTag(), sealed]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (decodeText(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyId = decodeText(payload.metadata?.[KEY_ID_METADATA]);
      const key = this.byId.get(keyId);
      if (!key) {
        throw new PayloadKeyError(
          `payload encrypted with key "${keyId}", which is not configured (known: ${this.keyIds.join(', ')})`,
        );
      }
      const data = Buffer.from(payload.data ?? []);
      if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadKeyError('encrypted payload is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      } catch {
        throw new PayloadKeyError(`payload does not authenticate with key "${keyId}"`);
      }
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}

/** `id:base64,id2:base64` → keys (the order is kept: the first is active by default). */
export function parsePayloadKeys(spec: string): PayloadKey[] {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf(':');
      if (at <= 0)
        throw new PayloadKeyError('PAYLOAD_KEYS entries look like "<key id>:<base64 of 32 bytes>"');
      const id = part.slice(0, at);
      const key = Buffer.from(part.slice(at + 1), 'base64');
      if (key.length !== 32) {
        throw new PayloadKeyError(`PAYLOAD_KEYS: key "${id}" is ${key.length} bytes once decoded, not 32`);
      }
      return { id, key };
    });
}

export interface PayloadCodecOptions {
  /** `PAYLOAD_KEYS`: `id:base64,...`. */
  keys?: string;
  /** `PAYLOAD_ACTIVE_KEY_ID`; the first key when unset. */
  activeKeyId?: string;
  /** Where a development key is generated when no keys are configured. */
  dataDir: string;
  production: boolean;
  logger?: Logger;
}

/**
 * Keys from configuration; in development without keys, one key generated once into
 * `<dataDir>/payload-key` (with a warning); in production, no keys is a refusal to start.
 */
export function loadPayloadCodec(options: PayloadCodecOptions): AesGcmPayloadCodec {
  if (options.keys?.trim()) {
    return new AesGcmPayloadCodec(parsePayloadKeys(options.keys), options.activeKeyId || undefined);
  }
  if (options.production) {
    throw new PayloadKeyError(
      'PAYLOAD_KEYS must be set in production (e.g. "k1:" followed by `openssl rand -base64 32`)',
    );
  }
  const file = path.join(options.dataDir, 'payload-key');
  if (!existsSync(file)) {
    mkdirSync(options.dataDir, { recursive: true });
    writeFileSync(file, `dev:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    options.logger?.warn(
      { file },
      'PAYLOAD_KEYS is not set: generated a development payload encryption key (set PAYLOAD_KEYS in production)',
    );
  }
  return new AesGcmPayloadCodec(parsePayloadKeys(readFileSync(file, 'utf8')));
}

/** The data converter given to every Worker and Client of the service. */
export function dataConverterFor(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec] };
}
