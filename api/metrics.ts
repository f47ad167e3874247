import type { Client } from '@temporalio/client';
import { Gauge, Histogram, Registry } from 'prom-client';
import type { AppDatabase } from '../platform/database';
import type { Logger } from '../platform/logger';
import { renderMetrics } from '../platform/metrics';
import { CONNECTION_WORKFLOW_TYPE, type ConnectionStatus } from '../workflows/contracts/connection';
import { INVOICE_STATUSES, TASK_KINDS } from '../workflows/contracts/invoice';

/**
 * What the API's `GET /metrics` adds to the process's series: its requests, and the state of the
 * records read at each scrape (cheap grouped counts on indexed columns; connections from Temporal
 * visibility). Every API instance reports the same state: aggregate it with max(), not sum().
 */
export interface ApiMetrics {
  /** Request durations by method, route pattern and status (its `_count` counts requests). */
  httpSeconds: Histogram<'method' | 'route' | 'status'>;
  render(): Promise<string>;
}

export interface ApiMetricsDependencies {
  db: AppDatabase;
  client: Client;
  /** Connections are counted among the connection workflows of this task queue. */
  taskQueue: string;
  logger: Logger;
  /** How long a scrape waits for the database or Temporal before reporting the source down. */
  timeoutMs?: number;
}

const CONNECTION_STATUSES: readonly ConnectionStatus[] = ['VERIFYING', 'CONNECTED', 'DEGRADED', 'FAILED'];

export function apiMetrics(deps: ApiMetricsDependencies): ApiMetrics {
  const { db, client, logger } = deps;
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const registry = new Registry();
  const sourceUp = new Gauge({
    name: 'chorus_metrics_source_up',
    help: 'Whether the last scrape could read a source of the state gauges (records database, Temporal visibility).',
    labelNames: ['source'] as const,
    registers: [registry],
  });

  /** Runs one source's queries; on failure its gauges are emptied (no stale values) and the source reported down. */
  async function read(source: 'records' | 'temporal', gauges: Gauge[], query: () => Promise<void>) {
    try {
      await withTimeout(query(), timeoutMs);
      sourceUp.set({ source }, 1);
    } catch (err) {
      for (const gauge of gauges) gauge.reset();
      sourceUp.set({ source }, 0);
      logger.warn({ source, err: (err as Error).message }, 'metrics source unavailable');
    }
  }

  const httpSeconds = new Histogram({
    name: 'chorus_http_request_duration_seconds',
    help: 'API request durations by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  const invoices = new Gauge({
    name: 'chorus_invoices',
    help: 'Invoices by lifecycle status (rows of the records database, archived ones included).',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const openTasks = new Gauge({
    name: 'chorus_open_tasks',
    help: 'Invoices waiting for a person, by task kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const oldestTask = new Gauge({
    name: 'chorus_oldest_open_task_age_seconds',
    help: 'Age of the oldest open task of each kind (0 when none is open).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const webhookEvents = new Gauge({
    name: 'chorus_webhook_events',
    help: 'Webhook outbox events not delivered: pending (being retried) or failed (given up).',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const oldestWebhook = new Gauge({
    name: 'chorus_webhook_oldest_pending_age_seconds',
    help: 'Age of the oldest webhook event still pending (0 when none is).',
    registers: [registry],
  });
  const connections = new Gauge({
    name: 'chorus_connections',
    help: 'Connections by status (VERIFYING, CONNECTED, DEGRADED, FAILED), from their running workflows.',
    labelNames: ['status'] as const,
    registers: [registry],
  });

  const ageSeconds = (oldest: Date | string | null) =>
    oldest ? Math.max(0, (Date.now() - new Date(oldest).getTime()) / 1000) : 0;

  const readRecords = () =>
    read('records', [invoices, openTasks, oldestTask, webhookEvents, oldestWebhook], async () => {
      const [byStatus, tasks, outbox] = await Promise.all([
        db
          .selectFrom('invoices')
          .select((eb) => ['status', eb.fn.countAll<string>().as('n')])
          .groupBy('status')
          .execute(),
        db
          .selectFrom('invoices')
          .where('has_open_task', '=', true)
          .select((eb) => [
            'task_kind',
            eb.fn.countAll<string>().as('n'),
            eb.fn.min('task_opened_at').as('oldest'),
          ])
          .groupBy('task_kind')
          .execute(),
        db
          .selectFrom('webhook_events')
          .where('status', 'in', ['pending', 'failed'])
          .select((eb) => ['status', eb.fn.countAll<string>().as('n'), eb.fn.min('created_at').as('oldest')])
          .groupBy('status')
          .execute(),
      ]);
      // Every known label is written, zero included, so a series exists before its first invoice.
      invoices.reset();
      for (const status of INVOICE_STATUSES) invoices.set({ status }, 0);
      for (const row of byStatus) invoices.set({ status: row.status }, Number(row.n));
      openTasks.reset();
      oldestTask.reset();
      for (const kind of TASK_KINDS) {
        openTasks.set({ kind }, 0);
        oldestTask.set({ kind }, 0);
      }
      for (const row of tasks) {
        const kind = row.task_kind ?? 'UNKNOWN';
        openTasks.set({ kind }, Number(row.n));
        oldestTask.set({ kind }, ageSeconds(row.oldest));
      }
      webhookEvents.reset();
      webhookEvents.set({ status: 'pending' }, 0);
      webhookEvents.set({ status: 'failed' }, 0);
      oldestWebhook.set(0);
      for (const row of outbox) {
        webhookEvents.set({ status: row.status }, Number(row.n));
        if (row.status === 'pending') oldestWebhook.set(ageSeconds(row.oldest));
      }
    });

  const readConnections = () =>
    read('temporal', [connections], async () => {
      const scope = `WorkflowType = '${CONNECTION_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND TaskQueue = '${deps.taskQueue.replace(/'/g, "\\'")}'`;
      // Visibility counts group by ExecutionStatus only: one count per connection status.
      const counts = await client.connection.withDeadline(Date.now() + timeoutMs, () =>
        Promise.all(
          CONNECTION_STATUSES.map((status) =>
            client.workflow.count(`${scope} AND ConnectionStatus = '${status}'`),
          ),
        ),
      );
      connections.reset();
      CONNECTION_STATUSES.forEach((status, i) => connections.set({ status }, counts[i].count));
    });

  return {
    httpSeconds,
    async render() {
      await Promise.all([readRecords(), readConnections()]);
      return renderMetrics([registry]);
    },
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
