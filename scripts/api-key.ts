/**
 * `npm run api-key -- --id <id> --role <system|staff|auditor|admin> [--connections a,b]`
 *
 * Makes a new API key. The key is printed once, for the caller to hand over; the entry to add to
 * API_KEYS_FILE (a JSON array) holds only its hash. `--file keys.json` appends the entry there.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ApiKeyEntries, ApiKeyEntry, generateApiKey, hashApiKey } from '../api/auth';

const USAGE =
  'usage: npm run api-key -- --id <key id> --role <system|staff|auditor|admin> [--connections <id,id|*>] [--file keys.json]';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export function main(args: string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const parsed = ApiKeyEntry.safeParse({
    id: option(args, '--id'),
    role: option(args, '--role'),
    connections: (option(args, '--connections') ?? '*').split(',').map((c) => c.trim()),
    hash: hashApiKey('placeholder'),
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      process.stderr.write(`--${String(issue.path[0] ?? '?')}: ${issue.message}\n`);
    }
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const key = generateApiKey();
  const entry: ApiKeyEntry = { ...parsed.data, hash: hashApiKey(key) };
  const file = option(args, '--file');
  if (file) {
    const existing = existsSync(file) ? ApiKeyEntries.parse(JSON.parse(readFileSync(file, 'utf8'))) : [];
    if (existing.some((e) => e.id === entry.id)) {
      process.stderr.write(`${file} already has a key "${entry.id}"\n`);
      return 1;
    }
    writeFileSync(file, `${JSON.stringify([...existing, entry], null, 2)}\n`, { mode: 0o600 });
    process.stdout.write(`Added key "${entry.id}" (${entry.role}) to ${file}.\n`);
  } else {
    process.stdout.write(`Entry for API_KEYS_FILE (a JSON array):\n${JSON.stringify(entry, null, 2)}\n`);
  }
  process.stdout.write(`\nThe key (shown once, store it now; the service keeps only its hash):\n${key}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
