/**
 * The second half of `npm run build`: bundles the compiled workflows once into
 * dist/workflow-bundle.js, which the compiled worker loads (`workflowBundle: { codePath }`).
 */
import { createLogger } from '../platform/logger';
import { installRuntime } from '../worker/runtime';
import { writeWorkflowBundle } from '../worker/workflow-bundle';

async function main(): Promise<void> {
  installRuntime(createLogger({ name: 'build', level: 'warn' }));
  const file = process.argv[2];
  const { file: written, bytes } = await writeWorkflowBundle(file);
  process.stdout.write(`workflow bundle: ${written} (${Math.round(bytes / 1024)} kB)\n`);
}

// The Temporal Runtime the bundler logs through keeps the event loop alive: exit explicitly.
main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
