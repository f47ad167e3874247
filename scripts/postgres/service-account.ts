import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * PostgreSQL refuses to run as root. A normal user runs it as themselves; root (CI, containers) runs it as an
 * unprivileged account: `$POSTGRES_RUN_AS`, else `chorus-postgres`, created as a system user when missing.
 */
export interface ServiceAccount {
  name: string;
  uid: number;
  gid: number;
}

export const DEFAULT_SERVICE_ACCOUNT = 'chorus-postgres';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function idOf(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** The account to run PostgreSQL as, or undefined when this process is not root (it runs as itself). */
export function serviceAccount(env: NodeJS.ProcessEnv = process.env): ServiceAccount | undefined {
  if (!isRoot()) return undefined;
  const name = env.POSTGRES_RUN_AS || DEFAULT_SERVICE_ACCOUNT;
  let ids = idOf(name);
  if (!ids && !env.POSTGRES_RUN_AS) {
    const created = spawnSync(
      'useradd',
      ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name],
      { encoding: 'utf8' },
    );
    ids = idOf(name);
    if (!ids) {
      throw new Error(
        `PostgreSQL cannot run as root and the account "${name}" could not be created ` +
          `(${(created.stderr || created.error?.message || '').trim()}); set POSTGRES_RUN_AS to an unprivileged user.`,
      );
    }
  }
  if (!ids) throw new Error(`POSTGRES_RUN_AS=${name}: no such user.`);
  if (ids.uid === 0) throw new Error(`POSTGRES_RUN_AS=${name} is root; PostgreSQL refuses to run as root.`);
  return { name, ...ids };
}

/** Can `account` reach (search every folder down to) `target`? Only the mode bits are checked. */
export async function reachableBy(account: ServiceAccount, target: string): Promise<string | undefined> {
  let dir = path.resolve(target);
  const blocked: string[] = [];
  for (;;) {
    const stat = await fs.stat(dir);
    const bit = stat.uid === account.uid ? 0o100 : stat.gid === account.gid ? 0o010 : /* others */ 0o001;
    if ((stat.mode & bit) === 0) blocked.push(dir);
    if (path.dirname(dir) === dir) break;
    dir = path.dirname(dir);
  }
  return blocked.pop();
}

/** Gives the data folder (and everything in it) to the account; PostgreSQL wants it private (0700). */
export async function handOver(account: ServiceAccount | undefined, dataDir: string): Promise<void> {
  await fs.chmod(dataDir, 0o700);
  if (!account) return;
  const chown = spawnSync('chown', ['-R', `${account.uid}:${account.gid}`, dataDir], { encoding: 'utf8' });
  if (chown.status !== 0) throw new Error(`chown ${dataDir} failed: ${chown.stderr.trim()}`);
}

/** A copy of the binaries where the account can read them, when the checkout itself is private (e.g. /root). */
export async function reachableBinDir(
  account: ServiceAccount,
  binDir: string,
  label: string,
): Promise<string> {
  if (!(await reachableBy(account, path.join(binDir, 'postgres')))) return binDir;
  const installDir = path.dirname(binDir);
  const copy = path.join(os.tmpdir(), `chorus-postgres-${label}`);
  const copiedBin = path.join(copy, path.basename(binDir));
  try {
    await fs.access(path.join(copiedBin, 'postgres'));
    return copiedBin;
  } catch {
    const staging = `${copy}.${process.pid}.tmp`;
    await fs.rm(staging, { recursive: true, force: true });
    const cp = spawnSync('cp', ['-a', installDir, staging], { encoding: 'utf8' });
    if (cp.status !== 0) throw new Error(`copying ${installDir} failed: ${cp.stderr.trim()}`);
    await fs.chmod(staging, 0o755);
    await fs.rename(staging, copy).catch(async () => fs.rm(staging, { recursive: true, force: true }));
    return copiedBin;
  }
}
