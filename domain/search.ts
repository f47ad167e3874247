/**
 * The text a search compares: lower case, accents removed, so « Préfecture » matches "prefecture".
 * Stored with each invoice row (search_text) and applied to what a person types.
 */
export function searchable(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** What an invoice is found by: its number, its buyer's SIRET and name. */
export function invoiceSearchText(parts: {
  invoiceNumber: string;
  buyerSiret: string;
  buyerName?: string;
}): string {
  return searchable([parts.invoiceNumber, parts.buyerSiret, parts.buyerName].filter(Boolean).join(' '));
}
