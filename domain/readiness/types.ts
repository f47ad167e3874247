import type { Localized } from '../messages';

/** One check of the readiness checklist, as the API returns it and the inbox renders it. */
export interface ReadinessItem {
  id: ReadinessCheckId;
  ok: boolean;
  message: string;
  /** The same message in French, for the back-office. */
  messageFr?: string;
  /** Dotted path in the invoice a person can fill to fix this item. */
  field?: string;
  allowedValues?: AllowedValue[];
  /**
   * Items sharing a group name are alternatives: filling any one of their fields satisfies them all
   * (e.g. a buyer that accepts a service code or an engagement number).
   */
  oneOf?: string;
  /** A field a person may answer `true` to confirm the value as it is (an overridable warning). */
  confirmField?: string;
}

export interface AllowedValue {
  value: string;
  label: string;
}

export type ReadinessCheckId =
  | 'supplier-known'
  | 'not-draft'
  | 'has-lines'
  | 'totals-consistent'
  | 'credit-note-origin'
  | 'buyer-siret-valid'
  | 'buyer-structure-active'
  | 'service-code'
  | 'engagement-number'
  | 'engagement-exists'
  | 'billing-frame'
  | 'validator'
  | 'vat-regime'
  | 'vat-exemption-reason'
  | 'payment-mode'
  | 'bank-details'
  | 'attachments';

/** What Chorus says about the buyer, fetched by activities just before the check. */
export interface BuyerFacts {
  /** null when `structures/rechercher` finds no structure for the SIRET. */
  structure: null | {
    idStructureCPP: number;
    designation: string;
    active: boolean;
    serviceCodeRequired: boolean;
    engagementRequired: boolean;
    serviceOrEngagementRequired: boolean;
    paymentNotReported: boolean;
  };
  services: Array<{
    idService: number;
    code: string;
    label: string;
    active: boolean;
    engagementRequired: boolean;
  }>;
  /** Result of the engagement lookup, when the connection checks engagements; undefined when not checked. */
  engagementFound?: boolean;
  /** The engagement's state in Chorus when found (`COMMANDE` is open; `CLOTURE`… are not). */
  engagementState?: string;
}

export interface SupplierFacts {
  /** The supplier's idStructureCPP when the connection's technical account may invoice for it. */
  idStructureCPP: number | null;
  siret: string;
  isPublic: boolean;
}

/** One of the supplier's valid bank accounts in Chorus Pro (`recuperer/coordbanc/valides`). */
export interface BankAccount {
  id: number;
  label: string;
}

export interface AttachmentFacts {
  fileName: string;
  sizeBytes: number;
}

export interface ReferenceLists {
  billingFrames?: AllowedValue[];
  vatExemptionReasons?: AllowedValue[];
  paymentModes?: AllowedValue[];
}

export const PUBLIC_INVOICES_SERVICE = 'FACTURES_PUBLIQUES';

/** The group of a buyer's "service code or engagement number" alternative. */
export const ROUTING_ALTERNATIVES = 'service-or-engagement';

/** A message in English (the API's language) and in French (the back-office's). */
export type Message = Localized;

export const item = (
  id: ReadinessCheckId,
  ok: boolean,
  message: Message,
  extra: Partial<ReadinessItem> = {},
): ReadinessItem => ({
  id,
  ok,
  message: message.en,
  messageFr: message.fr,
  ...extra,
});

export const plain = (values: readonly string[]): AllowedValue[] =>
  values.map((value) => ({ value, label: value }));
