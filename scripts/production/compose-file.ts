import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * What `docker compose config` does before it prints a file, for what this project's file uses:
 * YAML merge keys, `.env` and environment interpolation (`${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `$$`), and `env_file` entries (a required
 * one must exist). There is no Docker engine or compose plugin on the machines that run the tests.
 */
export class ComposeConfigError extends Error {}

export interface ComposeService {
  image?: string;
  build?: string | { context: string };
  command?: string[] | string;
  entrypoint?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  profiles?: string[];
  environment?: Record<string, string | number>;
  env_file?: Array<string | { path: string; required?: boolean }>;
  volumes?: string[];
  ports?: string[];
  restart?: string;
  user?: string;
  init?: boolean;
  stop_grace_period?: string;
  healthcheck?: { test: string[]; interval?: string; timeout?: string; retries?: number };
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** `KEY=value` lines, as compose reads `.env` (comments and blank lines skipped, no quotes used here). */
export function readDotEnv(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match && !line.trimStart().startsWith('#')) out[match[1]] = match[2].trim();
  }
  return out;
}

const PATTERN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(
    PATTERN,
    (whole, name?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
      if (whole === '$$') return '$';
      if (bare) return env[bare] ?? '';
      const current = env[name!];
      const unset = colon ? current === undefined || current === '' : current === undefined;
      if (op === '-') return unset ? (arg ?? '') : current!;
      if (op === '?') {
        if (unset) throw new ComposeConfigError(`required variable ${name} is missing a value: ${arg}`);
        return current!;
      }
      return current ?? '';
    },
  );
}

function interpolateAll(node: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, env));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateAll(value, env)]));
  }
  return node;
}

/** The file as `docker compose config` would resolve it in `projectDir` (its `.env` beside it). */
export function composeConfig(
  composeFile: string,
  options: { projectDir?: string; env?: Record<string, string | undefined> } = {},
): ComposeFile {
  const projectDir = options.projectDir ?? path.dirname(composeFile);
  const env = { ...readDotEnv(path.join(projectDir, '.env')), ...options.env };
  const raw = parse(readFileSync(composeFile, 'utf8'), { merge: true }) as Record<string, unknown>;
  // Extension fields (x-…) are interpolated where they are merged into services, not on their own.
  const resolved = interpolateAll(
    Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith('x-'))),
    env,
  ) as ComposeFile;
  for (const [name, service] of Object.entries(resolved.services)) {
    for (const entry of service.env_file ?? []) {
      const { path: file, required = true } = typeof entry === 'string' ? { path: entry } : entry;
      if (required && !existsSync(path.resolve(projectDir, file))) {
        throw new ComposeConfigError(`service ${name}: env file ${file} not found`);
      }
    }
  }
  return resolved;
}
