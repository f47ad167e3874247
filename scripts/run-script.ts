/**
 * Runs a script's `main` and exits with its code; an error is printed with the script's name and
 * exits 1 (a stack trace helps whoever runs a long check by hand).
 */
export function runScript(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}

/**
 * A command line read by `parse` (which throws on bad options), or the exit code already answered:
 * 0 after printing the usage for `--help`, 2 after printing the error and the usage.
 */
export function parseCommandLine<T extends { help: boolean }>(parse: () => T, usage: string): T | number {
  let parsed: T;
  try {
    parsed = parse();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  return parsed;
}
