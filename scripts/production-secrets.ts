/**
 * `npm run production-secrets -- [--dir secrets] [--compose-env .env]`
 *
 * Creates, once, every key a production deployment needs (docker-compose.yml reads them):
 *   <dir>/app.env              PAYLOAD_KEYS, WEBHOOK_SECRET, SEALING_KEY_DIR, API_KEYS_FILE
 *   <dir>/sealing-keys/k1.pem  X25519 key that seals connection secrets
 *   <dir>/api-keys.json        one admin API key (its hash); the key is printed once
 *   <compose-env>              TEMPORAL_DB_PASSWORD, APP_DB_PASSWORD: compose's own variables file
 *                              (default: `.env` beside <dir>, i.e. beside docker-compose.yml), for the
 *                              two PostgreSQL servers
 * Existing files and values are never overwritten (a missing value is added). Keep both out of version
 * control and backed up: without these keys, stored connection secrets and workflow payloads cannot be read.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateApiKey, hashApiKey } from '../api/auth';

export function main(args: string[]): number {
  const i = args.indexOf('--dir');
  const dir = path.resolve(i >= 0 && args[i + 1] ? args[i + 1] : 'secrets');
  const inContainer = (name: string) => `/secrets/${name}`;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  mkdirSync(path.join(dir, 'sealing-keys'), { recursive: true, mode: 0o700 });

  const envFile = path.join(dir, 'app.env');
  if (existsSync(envFile)) {
    say(`kept ${envFile}`);
  } else {
    writeFileSync(
      envFile,
      [
        `PAYLOAD_KEYS=k1:${randomBytes(32).toString('base64')}`,
        `WEBHOOK_SECRET=${randomBytes(32).toString('hex')}`,
        `SEALING_KEY_DIR=${inContainer('sealing-keys')}`,
        `API_KEYS_FILE=${inContainer('api-keys.json')}`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    say(`wrote ${envFile} (payload key k1, webhook secret)`);
  }

  const sealing = path.join(dir, 'sealing-keys', 'k1.pem');
  if (existsSync(sealing)) {
    say(`kept ${sealing}`);
  } else {
    const { privateKey } = generateKeyPairSync('x25519');
    writeFileSync(sealing, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    say(`wrote ${sealing} (sealing key k1)`);
  }

  const keysFile = path.join(dir, 'api-keys.json');
  if (existsSync(keysFile)) {
    say(`kept ${keysFile}`);
  } else {
    const key = generateApiKey();
    const entry = { id: 'admin', role: 'admin', connections: ['*'], hash: hashApiKey(key) };
    writeFileSync(keysFile, `${JSON.stringify([entry], null, 2)}\n`, { mode: 0o600 });
    say(`wrote ${keysFile} with the key "admin" (role admin). The key, shown once:`);
    say(`  ${key}`);
    say('Add keys for your tools and staff with: npm run api-key -- --file <that file> --id … --role …');
  }
  const j = args.indexOf('--compose-env');
  // Compose reads .env beside docker-compose.yml, which is where ./secrets lives too.
  const composeEnv = path.resolve(j >= 0 && args[j + 1] ? args[j + 1] : path.join(path.dirname(dir), '.env'));
  const present = existsSync(composeEnv) ? readFileSync(composeEnv, 'utf8') : '';
  // Hex: safe inside DATABASE_URL and in any shell.
  const missing = ['TEMPORAL_DB_PASSWORD', 'APP_DB_PASSWORD'].filter(
    (name) => !new RegExp(`^${name}=.+`, 'm').test(present),
  );
  if (missing.length === 0) {
    say(`kept ${composeEnv}`);
  } else {
    const lines = missing.map((name) => `${name}=${randomBytes(24).toString('hex')}`);
    const separator = present && !present.endsWith('\n') ? '\n' : '';
    if (present) appendFileSync(composeEnv, `${separator}${lines.join('\n')}\n`);
    else writeFileSync(composeEnv, `${lines.join('\n')}\n`, { mode: 0o600 });
    say(`wrote ${missing.join(', ')} to ${composeEnv} (database passwords, read by docker compose)`);
  }

  if (process.getuid?.() === 0) {
    say('The containers run as uid 1000: give them the folder with `chown -R 1000:1000 ' + dir + '`.');
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
