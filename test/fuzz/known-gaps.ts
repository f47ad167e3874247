/**
 * Inputs the current API does not refuse the way the property wants, each one a reported finding.
 * Requests tagged with a gap are generated and counted but not sent (or, for answers without a
 * JSON body, not held to the JSON shape), so the default run stays meaningful for everything else.
 * `FUZZ_KNOWN_GAPS=1` sends and checks them strictly: use it to confirm a fix, then delete the entry.
 */
export const KNOWN_GAPS = {
  'cancel-ignores-unreadable-body':
    'POST /v1/invoices/:id/cancel with a body it cannot read (text/plain, a form, no content type) ' +
    'ignores the body and cancels; it should answer 415 instead of acting on a request it did not understand.',
  'control-characters-in-file-names':
    'attachment file names may contain NUL, CR/LF, escape sequences and bidi overrides; they are sent to ' +
    'Chorus Pro and shown to people as they are.',
  'list-filters-not-checked-against-known-values':
    'GET /v1/invoices?status=NOT_A_STATUS (and chorusStatus, and GET /v1/tasks?kind=…) answer 200 with an ' +
    'empty list instead of 400 naming the allowed values.',
  'proto-key-dropped-from-task-values':
    'a "__proto__" key in the values of a task answer is silently dropped (the zod record assigns it as a ' +
    'prototype), so an answer naming a field the task does not ask for goes through with its other values ' +
    'instead of being refused with 422.',
  'http-parser-refusals-are-not-json':
    "requests Node's HTTP parser refuses (NUL or spaces in the request line, 20 KB headers, smuggling " +
    'framing) get a bare 400/431 without the JSON error body; a clientError handler in api/server.ts would fix it.',
} as const;

export type KnownGap = keyof typeof KNOWN_GAPS;

export const isKnownGap = (id: string): id is KnownGap =>
  Object.prototype.hasOwnProperty.call(KNOWN_GAPS, id);
