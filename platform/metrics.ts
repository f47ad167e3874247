import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus series (prom-client), listed with their meaning in docs/operations.md.
 *
 * What any process may record — Chorus calls, webhook deliveries, activity retries, Node's own
 * runtime — is in one process-wide registry; each server adds its own series (the API: requests and
 * the records' state; the worker: the Temporal SDK's exporter) and serves the lot at `GET /metrics`.
 */
export const processMetrics = new Registry();

/** Seconds: Chorus answers in tens of milliseconds to seconds; calls time out at 30 s by default. */
const CHORUS_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export const chorusCalls = new Counter({
  name: 'chorus_api_calls_total',
  help: 'Chorus Pro and PISTE calls by operation and outcome ("ok" or the typed error, e.g. rate_limited, unavailable).',
  labelNames: ['operation', 'outcome'] as const,
  registers: [processMetrics],
});

export const chorusCallSeconds = new Histogram({
  name: 'chorus_api_call_duration_seconds',
  help: 'Duration of Chorus Pro and PISTE calls, token and one resend after a refused token included.',
  labelNames: ['operation', 'outcome'] as const,
  buckets: CHORUS_BUCKETS,
  registers: [processMetrics],
});

export const chorusRetries = new Counter({
  name: 'chorus_api_retries_total',
  help: 'Chorus calls sent again within one call (reason token_refresh: the gateway refused the bearer token; rate_limited: PISTE answered 429, resent after Retry-After; read_retry: a read met a 5xx, a lost connection or a timeout).',
  labelNames: ['operation', 'reason'] as const,
  registers: [processMetrics],
});

export const chorusQuotaWaiting = new Gauge({
  name: 'chorus_call_quota_waiting',
  help: "Chorus calls of this process waiting for a turn under their PISTE application's call quota.",
  registers: [processMetrics],
});

export const chorusQuotaWaitSeconds = new Histogram({
  name: 'chorus_call_quota_wait_seconds',
  help: "How long Chorus calls waited for a turn under their PISTE application's call quota.",
  buckets: [0.005, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [processMetrics],
});

export const activityRetries = new Counter({
  name: 'chorus_activity_retries_total',
  help: 'Activity executions that are Temporal retries (attempt 2 and later), by activity type.',
  labelNames: ['activity'] as const,
  registers: [processMetrics],
});

export const webhookDeliveries = new Counter({
  name: 'chorus_webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome: delivered, failed (retried later) or given_up (marked failed).',
  labelNames: ['outcome'] as const,
  registers: [processMetrics],
});

export const webhookDeliverySeconds = new Histogram({
  name: 'chorus_webhook_delivery_duration_seconds',
  help: 'Duration of webhook POSTs to receivers, whatever their outcome.',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [processMetrics],
});

let nodeMetricsOn = false;

/** Node's own series (CPU, memory, event-loop lag, GC: `process_*`, `nodejs_*`), once per process. */
export function collectNodeMetrics(): void {
  if (nodeMetricsOn) return;
  nodeMetricsOn = true;
  collectDefaultMetrics({ register: processMetrics });
}

/** Prometheus text format 0.0.4. */
export const METRICS_CONTENT_TYPE = processMetrics.contentType;

/**
 * One scrape: the process registry, the server's own registries, then text from other exporters
 * (families never share a name: ours are `chorus_*`, `process_*`, `nodejs_*`; the SDK's `temporal_*`).
 */
export async function renderMetrics(registries: readonly Registry[] = [], appended: string[] = []) {
  const texts = await Promise.all([processMetrics, ...registries].map((r) => r.metrics()));
  return [...texts, ...appended]
    .map((t) => t.trimEnd())
    .filter(Boolean)
    .join('\n')
    .concat('\n');
}

/** `GET /metrics`: the rendered text; a failed rendering answers 500 in text, never a half page. */
export function metricsHandler(render: () => Promise<string>): RequestHandler {
  return (_req, res) => {
    render().then(
      (text) => {
        res.setHeader('Content-Type', METRICS_CONTENT_TYPE);
        res.send(text);
      },
      (err: unknown) => {
        res
          .status(500)
          .type('text')
          .send(`metrics unavailable: ${err instanceof Error ? err.message : String(err)}\n`);
      },
    );
  };
}

/** Seconds elapsed since `start` (a `process.hrtime.bigint()` reading). */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
