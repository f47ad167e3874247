import { Router } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { ApiError, validationError } from './errors';
import { CodecPayloads } from './schemas/codec';

/**
 * The codec server the Temporal Web UI and `temporal` CLI call (`--codec-endpoint`): payloads in
 * Temporal's JSON form (metadata values and data in base64) in, the same form out.
 */

/** The body in both directions (api/schemas/codec.ts). */
export const CodecBody = CodecPayloads;

type JsonPayload = { metadata?: Record<string, string>; data?: string };

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  ),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

export function codecRoutes(codec: PayloadCodec): Router {
  const router = Router({ caseSensitive: true, strict: false });
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/codec/${direction}`, async (req, res) => {
      const parsed = CodecBody.safeParse(req.body);
      if (!parsed.success) throw validationError(parsed.error);
      const payloads = parsed.data.payloads.map(fromJson);
      let out: Payload[];
      try {
        out = await codec[direction](payloads);
      } catch (err) {
        throw new ApiError(400, 'undecodable_payload', (err as Error).message);
      }
      res.json({ payloads: out.map(toJson) });
    });
  }
  return router;
}
