import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from './logger';

/**
 * Connection secrets (PISTE client secret, technical password) are sealed before they are stored:
 * X25519 key agreement with a fresh ephemeral key, HKDF-SHA256, then AES-256-GCM. Whoever holds a
 * public key can seal (the API); only a holder of the private key can open (the workers). Each key
 * has an id written into the sealed value, so keys can be rotated: new secrets use the active key,
 * old ones still open with the older keys.
 *
 * Sealed value: `sealed:v1:<keyId>:<ephemeral public key>:<iv>:<tag>:<ciphertext>` (base64url).
 */

const PREFIX = 'sealed:v1';
const INFO = Buffer.from('chorus-pro-connection-secret');

export class SealingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealingError';
  }
}

export interface SealingKey {
  id: string;
  publicKey: KeyObject;
  privateKey?: KeyObject;
}

function rawPublic(key: KeyObject): Buffer {
  // The last 32 bytes of the SPKI DER of an X25519 key are the raw key.
  return key.export({ type: 'spki', format: 'der' }).subarray(-32);
}

function derive(shared: Buffer, ephemeralRaw: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, ephemeralRaw, INFO, 32));
}

export class SecretSealer {
  private readonly byId: Map<string, SealingKey>;

  /** `keys[0]` seals; every key with a private part opens. */
  constructor(private readonly keys: SealingKey[]) {
    if (keys.length === 0) throw new SealingError('at least one sealing key is needed');
    this.byId = new Map(keys.map((k) => [k.id, k]));
  }

  get activeKeyId(): string {
    return this.keys[0].id;
  }

  seal(plaintext: string): string {
    const recipient = this.keys[0];
    const ephemeral = generateKeyPairSync('x25519');
    const ephemeralRaw = rawPublic(ephemeral.publicKey);
    const key = derive(
      diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient.publicKey }),
      ephemeralRaw,
    );
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(recipient.id));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [ephemeralRaw, iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
    return [PREFIX, recipient.id, ...parts].join(':');
  }

  open(sealed: string): string {
    const fields = sealed.split(':');
    if (fields.length !== 7 || `${fields[0]}:${fields[1]}` !== PREFIX)
      throw new SealingError('not a sealed value');
    const [, , keyId, ephemeralText, ivText, tagText, ciphertextText] = fields;
    const recipient = this.byId.get(keyId);
    if (!recipient?.privateKey)
      throw new SealingError(`no private key "${keyId}" to open this value (was the key rotated away?)`);
    const ephemeralRaw = Buffer.from(ephemeralText, 'base64url');
    const ephemeralPublic = createPublicKey({
      key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), ephemeralRaw]),
      format: 'der',
      type: 'spki',
    });
    const key = derive(
      diffieHellman({ privateKey: recipient.privateKey, publicKey: ephemeralPublic }),
      ephemeralRaw,
    );
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(Buffer.from(tagText, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertextText, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SealingError(
        'the sealed value does not open: altered, or sealed with another key of the same id',
      );
    }
  }

  /** A sealer that can seal but not open (what the API gets). */
  sealOnly(): SecretSealer {
    return new SecretSealer(this.keys.map(({ id, publicKey }) => ({ id, publicKey })));
  }
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${PREFIX}:`);
}

/**
 * Keys from `<dir>/<keyId>.pem` (PKCS#8 X25519 private keys; the newest file name in
 * `SEALING_ACTIVE_KEY_ID`, or the last in name order, seals). With no key at all, outside
 * production, a development key is generated into the folder, with a warning.
 */
export function loadSealer(options: {
  dir: string;
  activeKeyId?: string;
  production: boolean;
  logger: Logger;
}): SecretSealer {
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  let files = existsSync(options.dir)
    ? readdirSync(options.dir)
        .filter((f) => f.endsWith('.pem'))
        .sort()
    : [];
  if (files.length === 0) {
    if (options.production) {
      throw new SealingError(
        `no sealing key in ${options.dir}: add a PKCS#8 X25519 private key as <keyId>.pem`,
      );
    }
    const { privateKey } = generateKeyPairSync('x25519');
    writeFileSync(path.join(options.dir, 'dev-1.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
    options.logger.warn(
      { dir: options.dir },
      'no sealing key configured: generated a development key (dev-1)',
    );
    files = ['dev-1.pem'];
  }
  const keys = files.map((file): SealingKey => {
    const privateKey = createPrivateKey(readFileSync(path.join(options.dir, file)));
    return { id: file.replace(/\.pem$/, ''), privateKey, publicKey: createPublicKey(privateKey) };
  });
  const activeId = options.activeKeyId ?? keys[keys.length - 1].id;
  const active = keys.find((k) => k.id === activeId);
  if (!active)
    throw new SealingError(`SEALING_ACTIVE_KEY_ID "${activeId}" has no key file in ${options.dir}`);
  return new SecretSealer([active, ...keys.filter((k) => k !== active)]);
}
