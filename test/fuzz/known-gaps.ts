/**
 * Inputs the current API does not refuse the way the property wants, each one a reported finding.
 * Requests tagged with a gap are generated and counted but not sent (or, for answers without a
 * JSON body, not held to the JSON shape), so the default run stays meaningful for everything else.
 * `FUZZ_KNOWN_GAPS=1` sends and checks them strictly: use it to confirm a fix, then delete the entry.
 */
// Every finding so far is fixed (case-insensitive route spellings, amounts that threw, unsigned
// page tokens, unbounded task ids, unreadable bodies, control characters in file names, unknown
// list filters, "__proto__" keys, bare parser refusals); new ones go here with their explanation.
export const KNOWN_GAPS: Record<string, string> = {};

export type KnownGap = string;

export const isKnownGap = (id: string): id is KnownGap =>
  Object.prototype.hasOwnProperty.call(KNOWN_GAPS, id);
