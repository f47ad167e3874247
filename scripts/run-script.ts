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
