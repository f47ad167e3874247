import { z } from 'zod';

/** Answer of POST /v1/uploads. */
export const Uploaded = z
  .object({
    uploadRef: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/)
      .meta({ description: 'Give it as `uploadRef` in an attachment.' }),
    sizeBytes: z.number().int().min(1),
  })
  .meta({
    examples: [
      {
        uploadRef: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
        sizeBytes: 48213,
      },
    ],
  });

export const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  temporal: z.enum(['ok', 'unreachable']),
});
