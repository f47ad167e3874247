import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadApiKeys } from '../../api/auth';
import { createLogger } from '../../platform/logger';
import { loadPayloadCodec } from '../../platform/payload-codec';
import { loadSealer } from '../../platform/secret-sealer';
import { main } from '../../scripts/production-secrets';

describe('npm run production-secrets', () => {
  it('writes every key production needs, which the loaders accept with NODE_ENV=production, and never overwrites', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'secrets-')), 'secrets');
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      expect(main(['--dir', dir])).toBe(0);
      const firstEnv = readFileSync(path.join(dir, 'app.env'), 'utf8');
      expect(main(['--dir', dir])).toBe(0);
      expect(readFileSync(path.join(dir, 'app.env'), 'utf8')).toBe(firstEnv);
    } finally {
      write.mockRestore();
    }
    const env = Object.fromEntries(
      readFileSync(path.join(dir, 'app.env'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    ) as Record<string, string>;
    expect(Object.keys(env).sort()).toEqual([
      'API_KEYS_FILE',
      'PAYLOAD_KEYS',
      'SEALING_KEY_DIR',
      'WEBHOOK_SECRET',
    ]);
    expect(env.WEBHOOK_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(loadPayloadCodec({ keys: env.PAYLOAD_KEYS, dataDir: dir, production: true }).activeKeyId).toBe(
      'k1',
    );
    const logger = createLogger({ name: 't', level: 'silent' });
    expect(loadSealer({ dir: path.join(dir, 'sealing-keys'), production: true, logger }).activeKeyId).toBe(
      'k1',
    );
    const keys = loadApiKeys({ file: path.join(dir, 'api-keys.json'), production: true });
    const printed = /\n {2}(cpk_[A-Za-z0-9_-]{43})\n/.exec(out.join(''))?.[1];
    expect(keys.authenticate(printed!)?.role).toBe('admin');
    expect(out.join('')).toContain('kept');
  });
});
