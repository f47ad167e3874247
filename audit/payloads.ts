import type { LoadedDataConverter, Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { redact, redactText } from '../platform/redaction';

/** A failure as the timeline shows it: decoded, redacted, with its causes. */
export interface FailureSummary {
  message: string;
  type?: string;
  nonRetryable?: boolean;
  timeout?: string;
  details?: unknown;
  cause?: FailureSummary;
}

const UNDECODABLE = '[undecodable]';

export function enumName(enumeration: Record<string, unknown>, value: unknown, prefix: string): string {
  const name = typeof value === 'number' ? enumeration[value] : value;
  return typeof name === 'string' ? name.replace(prefix, '') : String(value);
}

/** Payloads → values, through the codecs (last first) then the payload converter. */
export class PayloadReader {
  constructor(private readonly converter: LoadedDataConverter) {}

  async values(payloads: Payload[] | null | undefined): Promise<unknown[]> {
    if (!payloads || payloads.length === 0) return [];
    let decoded: Payload[] = payloads;
    try {
      for (const codec of [...this.converter.payloadCodecs].reverse()) decoded = await codec.decode(decoded);
    } catch (err) {
      return payloads.map(() => ({ [UNDECODABLE]: (err as Error).message }));
    }
    return decoded.map((payload) => {
      try {
        return this.converter.payloadConverter.fromPayload(payload);
      } catch (err) {
        return { [UNDECODABLE]: (err as Error).message };
      }
    });
  }

  async first(payloads: Payload[] | null | undefined): Promise<unknown> {
    return (await this.values(payloads))[0];
  }

  async failure(
    failure: temporal.api.failure.v1.IFailure | null | undefined,
  ): Promise<FailureSummary | undefined> {
    if (!failure) return undefined;
    let message = failure.message ?? '';
    if (failure.encodedAttributes) {
      const attributes = await this.first([failure.encodedAttributes]);
      if (attributes && typeof attributes === 'object' && 'message' in attributes)
        message = String((attributes as { message: unknown }).message);
    }
    const info = failure.applicationFailureInfo;
    const details = info?.details?.payloads?.length ? await this.values(info.details.payloads) : undefined;
    const timeout = failure.timeoutFailureInfo?.timeoutType;
    const cause = await this.failure(failure.cause);
    return {
      message: redactText(message),
      ...(info?.type ? { type: info.type } : {}),
      ...(info?.nonRetryable ? { nonRetryable: true } : {}),
      ...(timeout ? { timeout: enumName(temporal.api.enums.v1.TimeoutType, timeout, 'TIMEOUT_TYPE_') } : {}),
      ...(details ? { details: redact(details) } : {}),
      ...(cause ? { cause } : {}),
    };
  }
}

/** "Type: message — caused by …", one line. */
export function failureText(failure: FailureSummary | undefined): string {
  if (!failure) return 'no reason given';
  const own = `${failure.type ? `${failure.type}: ` : ''}${failure.message.replace(/[.\s]+$/, '')}`.trim();
  const cause = failure.cause ? failureText(failure.cause) : '';
  return [own, cause].filter(Boolean).join(' — caused by ') || 'no reason given';
}
