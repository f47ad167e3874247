/** The readiness checklist's sentences (domain/readiness.ts), one per outcome of each check. */
export const READINESS_MESSAGES = {
  'readiness.supplierKnown.ok': {
    en: 'Supplier {siret} is a Chorus Pro structure this connection may invoice for.',
    fr: 'Le fournisseur {siret} est une structure Chorus Pro pour laquelle cette connexion peut facturer.',
  },
  'readiness.supplierKnown.failed': {
    en: 'The connection\'s technical account is not attached to supplier {siret}: attach it in Chorus Pro ("Raccordements" → "Compte technique").',
    fr: 'Le compte technique de la connexion n’est pas rattaché au fournisseur {siret} : rattachez-le dans Chorus Pro (« Raccordements » → « Compte technique »).',
  },
  'readiness.notDraft.ok': { en: 'The invoice is final.', fr: 'La facture est définitive.' },
  'readiness.notDraft.failed': {
    en: 'The invoice is a draft; only final invoices can be sent.',
    fr: 'La facture est un brouillon : seules les factures définitives peuvent être envoyées.',
  },
  'readiness.hasLines.ok': { en: '{count} line(s).', fr: '{count} ligne(s).' },
  'readiness.hasLines.failed': {
    en: 'An invoice needs at least one line.',
    fr: 'Une facture doit avoir au moins une ligne.',
  },
  'readiness.totals.given': {
    en: 'The given totals match the lines.',
    fr: 'Les totaux donnés correspondent aux lignes.',
  },
  'readiness.totals.mismatch': {
    en: 'The given totals do not match the lines: {mismatches}.',
    fr: 'Les totaux donnés ne correspondent pas aux lignes : {mismatches}.',
  },
  'readiness.totals.mismatch.exclVat': {
    en: 'total excl. VAT {given} ≠ {computed}',
    fr: 'total HT {given:amount} ≠ {computed:amount}',
  },
  'readiness.totals.mismatch.vat': {
    en: 'VAT {given} ≠ {computed}',
    fr: 'TVA {given:amount} ≠ {computed:amount}',
  },
  'readiness.totals.mismatch.inclVat': {
    en: 'total incl. VAT {given} ≠ {computed}',
    fr: 'total TTC {given:amount} ≠ {computed:amount}',
  },
  'readiness.totals.computed': {
    en: 'Totals computed from the lines: {inclVat} incl. VAT.',
    fr: 'Totaux calculés à partir des lignes : {inclVat:amount} € TTC.',
  },
  'readiness.creditNoteOrigin.ok': {
    en: 'Credits invoice {number}.',
    fr: 'Avoir sur la facture {number}.',
  },
  'readiness.creditNoteOrigin.failed': {
    en: 'A credit note must name the invoice it credits.',
    fr: 'Un avoir doit indiquer la facture qu’il annule.',
  },
  'readiness.buyerSiret.ok': {
    en: 'Buyer SIRET {siret} is well formed.',
    fr: 'Le SIRET acheteur {siret} est valide.',
  },
  'readiness.buyerSiret.failed': {
    en: 'Buyer SIRET {siret} is not a valid SIRET.',
    fr: 'Le SIRET acheteur {siret} n’est pas un SIRET valide.',
  },
  'readiness.buyerStructure.unknown': {
    en: "No Chorus Pro structure has SIRET {siret}: check the buyer's SIRET.",
    fr: 'Aucune structure Chorus Pro n’a le SIRET {siret} : vérifiez le SIRET de l’acheteur.',
  },
  'readiness.buyerStructure.inactive': {
    en: "{buyer} ({siret}) is inactive in Chorus Pro and cannot receive invoices: check the buyer's SIRET with the buyer.",
    fr: '{buyer} ({siret}) est inactive dans Chorus Pro et ne peut pas recevoir de factures : vérifiez le SIRET auprès de l’acheteur.',
  },
  'readiness.buyerStructure.ok': {
    en: '{buyer} is an active Chorus Pro structure.',
    fr: '{buyer} est une structure active de Chorus Pro.',
  },
  'readiness.billingFrame.ok': {
    en: 'Billing frame {frame}.',
    fr: 'Cadre de facturation : {frame:billingFrame}.',
  },
  'readiness.billingFrame.failed': {
    en: 'Chorus Pro needs the billing frame (A1 for an ordinary supplier invoice).',
    fr: 'Chorus Pro demande le cadre de facturation (A1 pour une facture fournisseur ordinaire).',
  },
  'readiness.validator.ok': {
    en: 'Billing frame {frame} is validated by structure {siret} first.',
    fr: 'Le cadre {frame:billingFrame} est d’abord validé par la structure {siret}.',
  },
  'readiness.validator.missing': {
    en: 'Billing frame {frame} needs the SIRET of the structure that validates the invoice (the main contractor for a subcontractor, the lead for a co-contractor).',
    fr: 'Le cadre {frame:billingFrame} demande le SIRET de la structure qui valide la facture (le titulaire pour un sous-traitant, le mandataire pour un cotraitant).',
  },
  'readiness.vatRegime.ok': { en: 'VAT regime {regime}.', fr: 'Régime de TVA : {regime:vatRegime}.' },
  'readiness.vatRegime.failed': {
    en: 'Chorus Pro needs the VAT regime (on debits, on receipts, exempt, or no VAT).',
    fr: 'Chorus Pro demande le régime de TVA (sur les débits, sur les encaissements, exonéré ou sans TVA).',
  },
  'readiness.vatExemptionReason.ok': {
    en: 'VAT exemption reason {reason}.',
    fr: 'Motif d’exonération de TVA {reason}.',
  },
  'readiness.vatExemptionReason.unknown': {
    en: '"{reason}" is not a Chorus Pro VAT exemption reason.',
    fr: '« {reason} » n’est pas un motif d’exonération de TVA de Chorus Pro.',
  },
  'readiness.vatExemptionReason.missing': {
    en: 'An exempt invoice must give the VAT exemption reason.',
    fr: 'Une facture exonérée doit donner le motif d’exonération de TVA.',
  },
  'readiness.paymentMode.ok': { en: 'Payment mode {mode}.', fr: 'Mode de paiement : {mode:paymentMode}.' },
  'readiness.paymentMode.failed': {
    en: 'Chorus Pro needs the payment mode.',
    fr: 'Chorus Pro demande le mode de paiement.',
  },
  'readiness.bankDetails.ok': {
    en: 'Bank account {account} ({id}).',
    fr: 'Compte bancaire : {account} ({id}).',
  },
  'readiness.bankDetails.single': {
    en: "The supplier's only valid bank account in Chorus Pro will be named: {account} ({id}).",
    fr: 'Le seul compte bancaire valide du fournisseur dans Chorus Pro sera indiqué : {account} ({id}).',
  },
  'readiness.bankDetails.choose': {
    en: 'The supplier has {count} valid bank accounts in Chorus Pro: choose the one to be paid on.',
    fr: 'Le fournisseur a {count} comptes bancaires valides dans Chorus Pro : choisissez celui sur lequel être payé.',
  },
  'readiness.bankDetails.unknown': {
    en: "Bank account {id} is not one of the supplier's valid accounts in Chorus Pro.",
    fr: 'Le compte bancaire {id} n’est pas un compte valide du fournisseur dans Chorus Pro.',
  },
  'readiness.bankDetails.none': {
    en: 'Chorus Pro lists no valid bank account for the supplier: the invoice is sent without one.',
    fr: 'Chorus Pro ne connaît aucun compte bancaire valide du fournisseur : la facture part sans.',
  },
  'readiness.attachments.none': { en: 'No attachment.', fr: 'Aucune pièce jointe.' },
  'readiness.attachments.ok': {
    en: '{count} attachment(s) within Chorus Pro limits.',
    fr: '{count} pièce(s) jointe(s) dans les limites de Chorus Pro.',
  },
  'readiness.attachments.failed': { en: '{problems}', fr: '{problems}' },
  'readiness.attachments.nameTooLong': {
    en: '{file}: name longer than {max} characters',
    fr: '{file} : nom de plus de {max} caractères',
  },
  'readiness.attachments.extension': {
    en: '{file}: extension not accepted by Chorus Pro',
    fr: '{file} : extension refusée par Chorus Pro',
  },
  'readiness.attachments.tooLarge': { en: '{file}: larger than 10 MB', fr: '{file} : plus de 10 Mo' },
  'readiness.attachments.empty': { en: '{file}: empty file', fr: '{file} : fichier vide' },
  'readiness.attachments.totalTooLarge': {
    en: 'the attachments total {total} MB, over the {max} MB Chorus Pro accepts for one invoice',
    fr: 'les pièces jointes totalisent {total} Mo, au-delà des {max} Mo acceptés par Chorus Pro pour une facture',
  },
  'readiness.serviceCode.unknown': {
    en: '{buyer} has no service "{service}".',
    fr: '{buyer} n’a pas de service « {service} ».',
  },
  'readiness.serviceCode.inactive': {
    en: 'Service "{service}" of {buyer} is inactive: choose an active service.',
    fr: 'Le service « {service} » de {buyer} est inactif : choisissez un service actif.',
  },
  'readiness.serviceCode.publicInvoices': {
    en: "{service} is reserved to invoices between public bodies: choose the buyer's service.",
    fr: '{service} est réservé aux factures entre entités publiques : choisissez le service de l’acheteur.',
  },
  'readiness.serviceCode.ok': { en: 'Service {service} ({label}).', fr: 'Service {service} ({label}).' },
  'readiness.serviceCode.required': {
    en: '{buyer} requires a service code on every invoice.',
    fr: '{buyer} exige un code service sur chaque facture.',
  },
  'readiness.serviceOrEngagement.required': {
    en: '{buyer} requires a service code or an engagement number.',
    fr: '{buyer} exige un code service ou un numéro d’engagement.',
  },
  'readiness.serviceCode.notRequired': {
    en: 'No service code required by this buyer.',
    fr: 'Cet acheteur n’exige pas de code service.',
  },
  'readiness.engagement.ok': {
    en: 'Engagement number {engagement}.',
    fr: 'Numéro d’engagement {engagement}.',
  },
  'readiness.engagement.exists': {
    en: 'Engagement {engagement} exists in Chorus Pro.',
    fr: 'L’engagement {engagement} existe dans Chorus Pro.',
  },
  'readiness.engagement.notFound': {
    en: 'Chorus Pro\'s engagement search does not know "{engagement}" for this supplier: correct the number, or confirm it as it is (local authorities\' purchase orders are often not in it).',
    fr: 'La recherche d’engagements de Chorus Pro ne connaît pas « {engagement} » pour ce fournisseur : corrigez le numéro, ou confirmez-le tel quel (les bons de commande des collectivités n’y figurent souvent pas).',
  },
  'readiness.engagement.confirmed': {
    en: "Engagement {engagement} is not in Chorus Pro's engagement search; a person confirmed it.",
    fr: 'L’engagement {engagement} ne figure pas dans la recherche de Chorus Pro ; une personne l’a confirmé.',
  },
  'readiness.engagement.closed': {
    en: 'Engagement {engagement} is {state} in Chorus Pro: an invoice needs an open engagement; give another number.',
    fr: 'L’engagement {engagement} est {state:engagementState} dans Chorus Pro : une facture demande un engagement ouvert ; indiquez un autre numéro.',
  },
  'readiness.engagement.confirmWhy': {
    en: 'Confirm the engagement number as it is.',
    fr: 'Confirmer le numéro d’engagement tel quel.',
  },
  'readiness.engagement.required': {
    en: '{buyer} requires an engagement number (purchase order) on every invoice.',
    fr: '{buyer} exige un numéro d’engagement (bon de commande) sur chaque facture.',
  },
  'readiness.engagement.requiredByService': {
    en: 'Service {service} of {buyer} requires an engagement number (purchase order).',
    fr: 'Le service {service} de {buyer} exige un numéro d’engagement (bon de commande).',
  },
  'readiness.engagement.notRequired': {
    en: 'No engagement number required.',
    fr: 'Aucun numéro d’engagement exigé.',
  },
} as const;
