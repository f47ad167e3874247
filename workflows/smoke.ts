import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { HttpProbeInput, HttpProbeResult } from '../activities/smoke';

const { probeHttpEndpoint } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3 },
});

/** End-to-end check that a worker runs workflows and its activities reach the given URL. */
export async function connectivitySmokeWorkflow(input: HttpProbeInput): Promise<HttpProbeResult> {
  return await probeHttpEndpoint(input);
}
