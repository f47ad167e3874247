import { z } from 'zod';
import { ROLES } from '../../domain/actor';

/** Answers of GET /v1/me and GET /v1/keys. */

export const Me = z
  .object({
    keyId: z.string(),
    role: z.enum(ROLES),
    connections: z.union([z.literal('*'), z.array(z.string())]).meta({
      description: '"*" (every connection) or the connection ids this key may see.',
    }),
    user: z
      .string()
      .optional()
      .meta({ description: 'The X-Acting-User header of this request, when given.' }),
  })
  .meta({ examples: [{ keyId: 'dev-system', role: 'system', connections: '*' }] });

export const KeyList = z.object({
  development: z.boolean().meta({ description: 'True when the documented development keys are in use.' }),
  keys: z.array(z.object({ id: z.string(), role: z.enum(ROLES), connections: z.array(z.string()) })),
});
