import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { WorkflowBundleOption } from '@temporalio/worker';
import type { Logger } from '../platform/logger';
import { bundleWorkflows } from './index';

/**
 * The workflow code as `npm run build` bundles it once (`dist/workflow-bundle.js`, beside the
 * compiled worker), so a production worker starts without webpack. Run from source, there is no
 * such file and the worker bundles workflows/ at start.
 */
export const PREBUILT_BUNDLE_PATH = path.join(__dirname, '..', 'workflow-bundle.js');

/** Bundles workflows/ and writes the code where the compiled worker looks for it. */
export async function writeWorkflowBundle(
  file = PREBUILT_BUNDLE_PATH,
): Promise<{ file: string; bytes: number }> {
  const { code } = await bundleWorkflows();
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, code);
  await fs.rename(temporary, file);
  return { file, bytes: Buffer.byteLength(code) };
}

/**
 * `WORKFLOW_BUNDLE_PATH`, else the prebuilt bundle beside the compiled worker, else none (bundle at
 * start). In production a missing bundle is an error: bundling at every start is slow and pulls
 * webpack into the runtime.
 */
export function prebuiltWorkflowBundle(options: {
  env?: NodeJS.ProcessEnv;
  production: boolean;
  logger: Logger;
}): WorkflowBundleOption | undefined {
  const env = options.env ?? process.env;
  const explicit = env.WORKFLOW_BUNDLE_PATH;
  const file = explicit ? path.resolve(explicit) : PREBUILT_BUNDLE_PATH;
  if (existsSync(file)) {
    options.logger.info({ workflowBundle: file }, 'using the prebuilt workflow bundle');
    return { codePath: file };
  }
  if (explicit || options.production) {
    throw new Error(
      `The prebuilt workflow bundle ${file} is missing: run \`npm run build\` (it writes dist/workflow-bundle.js)` +
        (explicit ? ' or fix WORKFLOW_BUNDLE_PATH.' : '.'),
    );
  }
  options.logger.info('no prebuilt workflow bundle: bundling workflows/ at start');
  return undefined;
}
