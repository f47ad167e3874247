import type { Connection } from '@temporalio/client';
import type { WorkerStatus } from '@temporalio/worker';
import express, { type Express } from 'express';
import { Gauge, Registry } from 'prom-client';
import { listen } from '../platform/http-listener';
import { metricsHandler, renderMetrics } from '../platform/metrics';
import { readSdkMetrics } from './runtime';

/** What the health endpoint looks at; the worker process hands in its Worker and client connection. */
export interface WorkerHealthProbe {
  /** `worker.getStatus()`; undefined while the worker is still being created. */
  status(): WorkerStatus | undefined;
  /** Answers within the deadline when Temporal's frontend is reachable. */
  temporalAnswers(timeoutMs: number): Promise<boolean>;
  taskQueue: string;
}

export interface WorkerHealthReport {
  status: 'ok' | 'unavailable';
  worker: WorkerStatus['runState'] | 'STARTING';
  pollers: {
    workflow: WorkerStatus['workflowPollerState'] | 'NONE';
    activity: WorkerStatus['activityPollerState'] | 'NONE';
  };
  temporal: 'ok' | 'unreachable';
  taskQueue: string;
  inFlight: { workflowActivations: number; activities: number };
}

/** A reachability probe over an ordinary client connection (the worker's own client). */
export function temporalAnswersThrough(connection: Connection) {
  return async (timeoutMs: number): Promise<boolean> => {
    try {
      await connection.withDeadline(Date.now() + timeoutMs, () =>
        connection.workflowService.getSystemInfo({}),
      );
      return true;
    } catch {
      return false;
    }
  };
}

/** Healthy: the worker runs, both pollers poll, and Temporal answers. */
export async function workerHealth(probe: WorkerHealthProbe, timeoutMs: number): Promise<WorkerHealthReport> {
  const status = probe.status();
  const temporal = (await probe.temporalAnswers(timeoutMs)) ? 'ok' : 'unreachable';
  const healthy =
    status?.runState === 'RUNNING' &&
    status.workflowPollerState === 'POLLING' &&
    status.activityPollerState === 'POLLING' &&
    temporal === 'ok';
  return {
    status: healthy ? 'ok' : 'unavailable',
    worker: status?.runState ?? 'STARTING',
    pollers: {
      workflow: status?.workflowPollerState ?? 'NONE',
      activity: status?.activityPollerState ?? 'NONE',
    },
    temporal,
    taskQueue: probe.taskQueue,
    inFlight: {
      workflowActivations: status?.numInFlightWorkflowActivations ?? 0,
      activities: status?.numInFlightActivities ?? 0,
    },
  };
}

/**
 * The worker's Prometheus text: this process's series, then the Temporal SDK exporter's (read from
 * `sdkMetricsUrl` at each scrape), so one scrape target per worker has both.
 */
export function workerMetricsRenderer(options: { sdkMetricsUrl?: string } = {}): () => Promise<string> {
  const registry = new Registry();
  const sdkUp = new Gauge({
    name: 'chorus_temporal_sdk_metrics_up',
    help: "1 when the Temporal SDK's own exporter answered this scrape (its temporal_* series follow), else 0.",
    registers: [registry],
  });
  return async () => {
    const sdk = options.sdkMetricsUrl ? await readSdkMetrics(options.sdkMetricsUrl) : undefined;
    sdkUp.set(sdk === undefined ? 0 : 1);
    return renderMetrics([registry], sdk === undefined ? [] : [sdk]);
  };
}

/**
 * The worker's HTTP side: `GET /healthz` (200 healthy, 503 otherwise) for compose health checks,
 * orchestrators and the chaos harness, and `GET /metrics` (Prometheus text) for scrapers.
 */
export function createWorkerHealthApp(
  probe: WorkerHealthProbe,
  options: { timeoutMs?: number; sdkMetricsUrl?: string } = {},
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', async (_req, res) => {
    const report = await workerHealth(probe, options.timeoutMs ?? 2_000);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  app.get('/metrics', metricsHandler(workerMetricsRenderer({ sdkMetricsUrl: options.sdkMetricsUrl })));
  return app;
}

export interface WorkerHealthServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on `host:port` (127.0.0.1 unless told otherwise; containers pass 0.0.0.0; port 0: any free port). */
export async function startWorkerHealthServer(
  app: Express,
  options: { port: number; host?: string },
): Promise<WorkerHealthServer> {
  const { url, port, close } = await listen(app, { ...options, dropOnClose: true });
  return { url, port, close };
}
