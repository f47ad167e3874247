import { createHmac } from 'node:crypto';
import got from 'got';
import { ApplicationFailure } from '@temporalio/common';
import type { InvoiceEvent } from '../workflows/contracts/invoice';

/**
 * Posts one event as JSON, signed `x-chorus-signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`
 * with a stable `x-chorus-event-id`. A refusal throws, so the activity is retried by Temporal.
 */
export async function postSignedEvent(options: {
  url: string;
  eventId: string;
  event: unknown;
  secret: string;
  timeoutMs: number;
}): Promise<void> {
  const body = JSON.stringify(options.event);
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', options.secret).update(`${timestamp}.${body}`).digest('hex');
  const response = await got.post(options.url, {
    body,
    headers: {
      'content-type': 'application/json',
      'x-chorus-event-id': options.eventId,
      'x-chorus-signature': `t=${timestamp},v1=${signature}`,
    },
    timeout: { request: options.timeoutMs },
    retry: { limit: 0 },
    throwHttpErrors: false,
  });
  if (response.statusCode < 200 || response.statusCode >= 300) {
    throw ApplicationFailure.create({
      type: 'WebhookRefused',
      message: `webhook answered HTTP ${response.statusCode}`,
    });
  }
}

export interface WebhookActivityDependencies {
  /** Key of the HMAC-SHA256 signature of webhook events. */
  webhookSecret: string;
  webhookTimeoutMs?: number;
}

/** Delivers one invoice event; Temporal's retry policy retries a refusal. */
export function createWebhookActivities(deps: WebhookActivityDependencies) {
  return {
    async deliverWebhook({ url, event }: { url: string; event: InvoiceEvent }): Promise<void> {
      await postSignedEvent({
        url,
        eventId: event.id,
        event,
        secret: deps.webhookSecret,
        timeoutMs: deps.webhookTimeoutMs ?? 10000,
      });
    },
  };
}
