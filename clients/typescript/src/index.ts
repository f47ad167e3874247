/**
 * A typed client of the Chorus Pro submission service: openapi-fetch over the types generated from
 * the service's OpenAPI document (./schema.ts). Every path, parameter, body and answer is typed.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };
/** The named schemas of the API: `Schemas['InvoiceView']`, `Schemas['InvoiceSubmission']`… */
export type Schemas = components['schemas'];
export type ChorusProClient = Client<paths>;

export interface ChorusProClientOptions {
  /** Where the API listens, e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  /** An API key (`Authorization: Bearer <key>`). */
  apiKey: string;
  /** The person acting through this key, recorded with task answers, cancels and connection changes. */
  actingUser?: string;
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: typeof globalThis.fetch;
}

export function createChorusProClient(options: ChorusProClientOptions): ChorusProClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/$/, ''),
    headers: {
      authorization: `Bearer ${options.apiKey}`,
      ...(options.actingUser ? { 'x-acting-user': options.actingUser } : {}),
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
