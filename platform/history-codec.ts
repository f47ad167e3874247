import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;

function isPayload(value: unknown): value is Payload {
  if (!value || typeof value !== 'object') return false;
  const metadata = (value as Payload).metadata;
  return Boolean(metadata && typeof metadata === 'object' && metadata.encoding instanceof Uint8Array);
}

/**
 * A copy of a workflow history with every payload run through the codecs' `decode` (the last codec
 * first, as the SDK does): plain JSON payloads that replay, the audit timeline and secret scans
 * can read without any key. Payloads that are not encoded pass through unchanged.
 */
export async function decodeHistory(history: History, codecs: readonly PayloadCodec[]): Promise<History> {
  const { History: HistoryMessage } = temporal.api.history.v1;
  const copy = HistoryMessage.decode(HistoryMessage.encode(history).finish());
  const payloads: Payload[] = [];
  const seen = new Set<unknown>();
  const collect = (value: unknown): void => {
    if (!value || typeof value !== 'object' || value instanceof Uint8Array || seen.has(value)) return;
    seen.add(value);
    if (isPayload(value)) {
      payloads.push(value);
      return;
    }
    for (const v of Array.isArray(value) ? value : Object.values(value)) collect(v);
  };
  collect(copy);
  let decoded: Payload[] = payloads;
  for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
  payloads.forEach((payload, i) => {
    payload.metadata = decoded[i].metadata;
    payload.data = decoded[i].data;
  });
  return copy;
}
