import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { createLogger } from '../../platform/logger';
import { isSealed, loadSealer, SealingError, SecretSealer } from '../../platform/secret-sealer';

const logger = createLogger({ name: 'sealer-test', level: 'silent' });
const newKey = (id: string) => {
  const { privateKey } = generateKeyPairSync('x25519');
  return { id, privateKey, publicKey: createPublicKey(privateKey) };
};

describe('secret sealer (X25519 + AES-256-GCM, key ids)', () => {
  it('seals so that the value reveals nothing and opens back, differently each time', () => {
    const sealer = new SecretSealer([newKey('k1')]);
    const a = sealer.seal('Tech-Password-Valid-1');
    const b = sealer.seal('Tech-Password-Valid-1');
    expect(isSealed(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(a).not.toContain('Tech-Password');
    expect(a.split(':')[2]).toBe('k1');
    expect(sealer.open(a)).toBe('Tech-Password-Valid-1');
  });

  it('rotates: new values use the active key, old values still open with the older key', () => {
    const old = newKey('2025-01');
    const current = newKey('2026-11');
    const before = new SecretSealer([old]).seal('secret-v1');
    const rotated = new SecretSealer([current, old]);
    expect(rotated.seal('secret-v2').split(':')[2]).toBe('2026-11');
    expect(rotated.open(before)).toBe('secret-v1');
    expect(() => new SecretSealer([current]).open(before)).toThrow(/no private key "2025-01"/);
  });

  it('refuses altered values and lets a seal-only holder seal but not open', () => {
    const sealer = new SecretSealer([newKey('k1')]);
    const sealed = sealer.seal('client-secret');
    const parts = sealed.split(':');
    parts[6] = Buffer.from('tampered').toString('base64url');
    expect(() => sealer.open(parts.join(':'))).toThrow(SealingError);
    expect(() => sealer.open('plain text')).toThrow(/not a sealed value/);
    const apiSide = sealer.sealOnly();
    const fromApi = apiSide.seal('from the API');
    expect(() => apiSide.open(fromApi)).toThrow(/no private key/);
    expect(sealer.open(fromApi)).toBe('from the API');
  });

  it('generates a development key once, and refuses to run without keys in production', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sealing-'));
    try {
      const first = loadSealer({ dir, production: false, logger });
      expect(readdirSync(dir)).toEqual(['dev-1.pem']);
      const second = loadSealer({ dir, production: false, logger });
      expect(second.open(first.seal('x'))).toBe('x');
      const empty = mkdtempSync(path.join(tmpdir(), 'sealing-prod-'));
      expect(() => loadSealer({ dir: empty, production: true, logger })).toThrow(/no sealing key/);
      rmSync(empty, { recursive: true, force: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
