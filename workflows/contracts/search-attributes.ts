import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';

// The custom search attributes the workflows upsert; lists and task inboxes are visibility queries on them.
// deploy/temporal-setup.sh registers the same list on a production cluster.

export const InvoiceStatus = defineSearchAttributeKey('InvoiceStatus', SearchAttributeType.KEYWORD);
export const ChorusStatus = defineSearchAttributeKey('ChorusStatus', SearchAttributeType.KEYWORD);
export const ConnectionId = defineSearchAttributeKey('ConnectionId', SearchAttributeType.KEYWORD);
export const SupplierSiret = defineSearchAttributeKey('SupplierSiret', SearchAttributeType.KEYWORD);
export const BuyerSiret = defineSearchAttributeKey('BuyerSiret', SearchAttributeType.KEYWORD);
export const InvoiceNumber = defineSearchAttributeKey('InvoiceNumber', SearchAttributeType.KEYWORD);
export const HasOpenTask = defineSearchAttributeKey('HasOpenTask', SearchAttributeType.BOOL);
export const ConnectionStatus = defineSearchAttributeKey('ConnectionStatus', SearchAttributeType.KEYWORD);

/** Every custom search attribute, in registration order. */
export const SEARCH_ATTRIBUTES = [
  InvoiceStatus,
  ChorusStatus,
  ConnectionId,
  SupplierSiret,
  BuyerSiret,
  InvoiceNumber,
  HasOpenTask,
  ConnectionStatus,
] as const;

export type CustomSearchAttributeKey = (typeof SEARCH_ATTRIBUTES)[number];

/** The type name the Temporal CLI expects (`--search-attribute Name=Type`), e.g. `Keyword`, `Bool`. */
export function cliTypeOf(key: CustomSearchAttributeKey): string {
  return TypedSearchAttributes.toMetadataType(key.type);
}
