import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A long check's stack in a folder of its own: started there, stopped and the folder removed at the
 * end (kept with `keep`, and said where), and stopped as well on Ctrl-C or SIGTERM (exit 130), so
 * that an interrupted run leaves no server behind.
 */
export async function inRunFolder<Stack extends { stop(): Promise<void> }, Result>(options: {
  /** The folder's name in the system's temporary folder, before its random suffix. */
  prefix: string;
  keep: boolean;
  log: (line: string) => void;
  start: (workDir: string) => Promise<Stack>;
  run: (stack: Stack, workDir: string) => Promise<Result>;
}): Promise<Result> {
  const { log } = options;
  const workDir = mkdtempSync(path.join(os.tmpdir(), options.prefix));
  const cleanUp = () => {
    if (options.keep) log(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  };
  let stack: Stack | undefined;
  let stopping = false;
  const interrupt = () => {
    if (stopping) process.exit(130);
    stopping = true;
    log('interrupted: stopping every process…');
    void (stack?.stop() ?? Promise.resolve()).finally(() => {
      cleanUp();
      process.exit(130);
    });
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    stack = await options.start(workDir);
    return await options.run(stack, workDir);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    if (!stopping) {
      await stack?.stop();
      cleanUp();
    }
  }
}
