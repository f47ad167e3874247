import { z } from 'zod';

/** Payloads in Temporal's JSON form, the body of the codec endpoints in both directions. */

/** Standard padded base64 (possibly empty). */
export const Base64 = z
  .string()
  .max(8 * 1024 * 1024)
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'base64');

export const CodecPayloads = z
  .object({
    payloads: z
      .array(
        // Other keys are ignored, as Temporal's own codec servers do.
        z.object({
          metadata: z.record(z.string().max(256), Base64).optional(),
          data: Base64.optional(),
        }),
      )
      .max(10_000),
  })
  .strict();
