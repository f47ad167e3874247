import got from 'got';
import { sql } from 'kysely';
import type { AppDatabase, WebhookEventRow } from '../../platform/database';
import type { Logger } from '../../platform/logger';
import { RepeatingRound } from '../../platform/repeating-round';
import { secondsSince, webhookDeliveries, webhookDeliverySeconds } from '../../platform/metrics';
import type { WebhookSecrets } from '../../platform/webhook-secrets';
import { signatureHeader } from './signing';
import type { WebhookTargetPolicy } from '../../platform/webhook-targets';

/**
 * The webhook outbox's delivery loop (runs in every worker process). Events are claimed from the
 * database (FOR UPDATE SKIP LOCKED plus a short lease, so several workers share the work and a crashed
 * one's claims come back), one at a time per invoice, oldest first: an invoice's events arrive in order.
 * A refused delivery is retried with exponential backoff; after `giveUpAfterMs` (4 days) it is marked
 * failed, listed by GET /v1/webhooks/events?status=failed, and can be redelivered on request.
 */
export interface Backoff {
  initialMs: number;
  factor: number;
  maxMs: number;
  /** Measured from the event's creation. */
  giveUpAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = {
  initialMs: 10_000,
  factor: 2,
  maxMs: 3_600_000,
  giveUpAfterMs: 4 * 24 * 3_600_000,
};

export type PostWebhook = (request: {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}) => Promise<{ statusCode: number }>;

const postWithGot: PostWebhook = async ({ url, body, headers, timeoutMs }) => {
  const response = await got.post(url, {
    body,
    headers,
    timeout: { request: timeoutMs },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
  });
  return { statusCode: response.statusCode };
};

export interface WebhookDispatcherOptions {
  db: AppDatabase;
  secrets: WebhookSecrets;
  targets: WebhookTargetPolicy;
  logger: Logger;
  /** The schedule's clock (tests make days pass in seconds). */
  now?: () => Date;
  /** The signature's timestamp: the real time, which receivers compare with theirs. */
  signingNow?: () => Date;
  backoff?: Partial<Backoff>;
  post?: PostWebhook;
  timeoutMs?: number;
  batchSize?: number;
  /** Pause between two empty rounds of the loop. */
  idleMs?: number;
  leaseMs?: number;
}

export function retryDelayMs(attempts: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, attempts - 1));
}

export class WebhookDispatcher {
  private readonly backoff: Backoff;
  private readonly now: () => Date;
  private readonly loop: RepeatingRound;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.loop = new RepeatingRound({
      round: async () => (await this.deliverDue()) > 0,
      pauseMs: options.idleMs ?? 1_000,
      onError: (err) => options.logger.warn({ err: err.message }, 'webhook outbox round failed'),
    });
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.now = options.now ?? (() => new Date());
  }

  /** Claims the events due now, the first pending one of each stream only, and leases them. */
  private async claim(): Promise<WebhookEventRow[]> {
    const now = this.now();
    const leaseUntil = new Date(now.getTime() + (this.options.leaseMs ?? 60_000));
    const { db } = this.options;
    return db
      .updateTable('webhook_events')
      .set({ locked_until: leaseUntil })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('webhook_events as e')
          .select('e.id')
          .where('e.status', '=', 'pending')
          .where('e.next_attempt_at', '<=', now)
          .where((w) => w.or([w('e.locked_until', 'is', null), w('e.locked_until', '<', now)]))
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('webhook_events as earlier')
                  .select(sql.lit(1).as('one'))
                  .whereRef('earlier.stream', '=', 'e.stream')
                  .whereRef('earlier.sequence', '<', 'e.sequence')
                  .where('earlier.status', '=', 'pending'),
              ),
            ),
          )
          .orderBy('e.next_attempt_at')
          .orderBy('e.stream')
          .limit(this.options.batchSize ?? 20)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  }

  private async deliver(event: WebhookEventRow): Promise<void> {
    const body = JSON.stringify(event.payload);
    let error: string | undefined;
    const verdict = await this.options.targets.check(event.url);
    if (!verdict.allowed) error = `target refused: ${verdict.reason}`;
    else {
      const started = process.hrtime.bigint();
      try {
        const secrets = await this.options.secrets.signing(event.connection_id);
        const { statusCode } = await (this.options.post ?? postWithGot)({
          url: event.url,
          body,
          headers: {
            'content-type': 'application/json',
            'x-chorus-event-id': event.id,
            'x-chorus-event-type': event.type,
            'x-chorus-signature': signatureHeader(body, secrets, this.options.signingNow?.() ?? new Date()),
          },
          timeoutMs: this.options.timeoutMs ?? 10_000,
        });
        if (statusCode < 200 || statusCode >= 300) error = `the receiver answered HTTP ${statusCode}`;
      } catch (err) {
        error = (err as Error).message;
      }
      webhookDeliverySeconds.observe(secondsSince(started));
    }
    const now = this.now();
    const attempts = event.attempts + 1;
    if (!error) {
      await this.options.db
        .updateTable('webhook_events')
        .set({ status: 'delivered', delivered_at: now, attempts, locked_until: null, last_error: null })
        .where('id', '=', event.id)
        .execute();
      webhookDeliveries.inc({ outcome: 'delivered' });
      return;
    }
    const giveUp = now.getTime() - new Date(event.created_at).getTime() >= this.backoff.giveUpAfterMs;
    await this.options.db
      .updateTable('webhook_events')
      .set({
        status: giveUp ? 'failed' : 'pending',
        attempts,
        last_error: error,
        locked_until: null,
        next_attempt_at: new Date(now.getTime() + retryDelayMs(attempts, this.backoff)),
      })
      .where('id', '=', event.id)
      .execute();
    webhookDeliveries.inc({ outcome: giveUp ? 'given_up' : 'failed' });
    this.options.logger[giveUp ? 'error' : 'warn'](
      { eventId: event.id, attempts, error },
      giveUp ? 'webhook delivery given up' : 'webhook delivery failed; will retry',
    );
  }

  /** One round: delivers what is due (at most one event per stream); returns how many were tried. */
  async deliverDue(): Promise<number> {
    const claimed = await this.claim();
    await Promise.all(claimed.map((e) => this.deliver(e)));
    return claimed.length;
  }

  /** Rounds until none is due: what tests call after moving the clock. */
  async drain(maxRounds = 1_000): Promise<number> {
    let total = 0;
    for (let round = 0; round < maxRounds; round += 1) {
      const n = await this.deliverDue();
      if (n === 0) break;
      total += n;
    }
    return total;
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
