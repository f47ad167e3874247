/**
 * Labels of codes, `label.<kind>.<code>`: our invoice statuses, Chorus Pro's statuses, and the
 * Chorus code lists a clerk meets (VAT regimes, payment modes, billing frames, task kinds).
 * Shown through `{name:kind}` placeholders and `labelOf(kind, code)`.
 */
const labels = <K extends string>(kind: K, entries: Record<string, { en: string; fr: string }>) =>
  Object.fromEntries(Object.entries(entries).map(([code, entry]) => [`label.${kind}.${code}`, entry]));

export const LABELS = {
  ...labels('status', {
    RECEIVED: { en: 'received', fr: 'Reçue' },
    WAITING_FOR_CONNECTION: { en: 'waiting for the connection', fr: 'En attente de la connexion' },
    CHECKING: { en: 'checking', fr: 'Vérification' },
    AWAITING_DATA: { en: 'awaiting data', fr: 'Données demandées' },
    AWAITING_APPROVAL: { en: 'awaiting approval', fr: 'Validation demandée' },
    UPLOADING: { en: 'uploading attachments', fr: 'Envoi des pièces jointes' },
    SUBMITTING: { en: 'submitting', fr: 'Envoi à Chorus Pro' },
    SUBMITTED: { en: 'submitted', fr: 'Déposée' },
    TRACKING: { en: 'tracking', fr: 'Suivi' },
    ACTION_REQUIRED: { en: 'action required', fr: 'Action requise' },
    PAID: { en: 'paid', fr: 'Payée' },
    TRACKING_ENDED: { en: 'tracking ended', fr: 'Suivi terminé' },
    REJECTED: { en: 'rejected', fr: 'Rejetée' },
    CANCELLED: { en: 'cancelled', fr: 'Annulée' },
    FAILED: { en: 'failed', fr: 'En échec' },
  }),
  ...labels('chorusStatus', {
    BROUILLON: { en: 'draft', fr: 'Brouillon' },
    DEPOSEE: { en: 'deposited', fr: 'Déposée' },
    EN_COURS_ACHEMINEMENT: { en: 'being routed', fr: 'En cours d’acheminement' },
    MISE_A_DISPOSITION: { en: 'made available to the buyer', fr: 'Mise à disposition' },
    PRISE_EN_COMPTE_DESTINATAIRE: {
      en: 'acknowledged by the buyer',
      fr: 'Prise en compte par le destinataire',
    },
    SERVICE_FAIT: { en: 'service certified', fr: 'Service fait' },
    MANDATEE: { en: 'payment ordered', fr: 'Mandatée' },
    MISE_A_DISPOSITION_COMPTABLE: { en: 'sent to the accountant', fr: 'Mise à disposition du comptable' },
    COMPTABILISEE: { en: 'booked by the accountant', fr: 'Comptabilisée' },
    MISE_EN_PAIEMENT: { en: 'payment issued', fr: 'Mise en paiement' },
    A_RECYCLER: { en: 'to be recycled', fr: 'À recycler' },
    SUSPENDUE: { en: 'suspended', fr: 'Suspendue' },
    COMPLETEE: { en: 'completed', fr: 'Complétée' },
    REJETEE: { en: 'rejected', fr: 'Rejetée' },
    ABANDONNEE: { en: 'abandoned', fr: 'Abandonnée' },
    SUPPRIMEE: { en: 'deleted', fr: 'Supprimée' },
    A_VALIDER_1: { en: 'awaiting the validator', fr: 'À valider (valideur)' },
    VALIDEE_1: { en: 'validated', fr: 'Validée (valideur)' },
    REFUSEE_1: { en: 'refused by the validator', fr: 'Refusée par le valideur' },
    A_VALIDER_2: { en: 'awaiting the second validator', fr: 'À valider (second valideur)' },
    VALIDEE_2: { en: 'validated by the second validator', fr: 'Validée (second valideur)' },
    REFUSEE_2: { en: 'refused by the second validator', fr: 'Refusée par le second valideur' },
    ERREUR_FOURNISSEUR_SUR_VALIDEUR: {
      en: 'wrong validator given by the supplier',
      fr: 'Erreur du fournisseur sur le valideur',
    },
  }),
  ...labels('vatRegime', {
    TVA_SUR_DEBIT: { en: 'VAT on debits', fr: 'TVA sur les débits' },
    TVA_SUR_ENCAISSEMENT: { en: 'VAT on receipts', fr: 'TVA sur les encaissements' },
    EXONERATION: { en: 'VAT exempt', fr: 'Exonération de TVA' },
    SANS_TVA: { en: 'no VAT', fr: 'Sans TVA' },
  }),
  ...labels('paymentMode', {
    CHEQUE: { en: 'cheque', fr: 'Chèque' },
    PRELEVEMENT: { en: 'direct debit', fr: 'Prélèvement' },
    VIREMENT: { en: 'bank transfer', fr: 'Virement' },
    ESPECE: { en: 'cash', fr: 'Espèces' },
    AUTRE: { en: 'other', fr: 'Autre' },
    REPORT: { en: 'carried over', fr: 'Report' },
  }),
  ...labels('billingFrame', {
    A1: { en: 'A1 – invoice deposited by a supplier', fr: 'A1 – Dépôt par un fournisseur d’une facture' },
    A2: {
      en: 'A2 – invoice already paid, deposited by a supplier',
      fr: 'A2 – Dépôt par un fournisseur d’une facture déjà payée',
    },
    A9: {
      en: 'A9 – invoice deposited by a subcontractor',
      fr: 'A9 – Dépôt par un sous-traitant d’une facture',
    },
    A12: {
      en: 'A12 – invoice deposited by a co-contractor',
      fr: 'A12 – Dépôt par un cotraitant d’une facture',
    },
  }),
  ...labels('environment', {
    simulator: { en: 'simulator', fr: 'du simulateur' },
    sandbox: { en: 'sandbox', fr: 'bac à sable' },
    production: { en: 'production', fr: 'de production' },
  }),
  ...labels('connectionStatus', {
    VERIFYING: { en: 'being verified', fr: 'en cours de vérification' },
    CONNECTED: { en: 'connected', fr: 'connectée' },
    DEGRADED: { en: 'degraded', fr: 'dégradée' },
    FAILED: { en: 'failed', fr: 'en échec' },
  }),
  ...labels('taskKind', {
    MISSING_DATA: { en: 'missing data', fr: 'Données manquantes' },
    CORRECTION: { en: 'correction asked by Chorus Pro', fr: 'Correction demandée par Chorus Pro' },
    SUBMISSION_FAILING: { en: 'sending keeps failing', fr: 'Envoi impossible pour l’instant' },
    APPROVAL: { en: 'approval before sending', fr: 'Validation avant envoi' },
    RECYCLE: { en: 'invoice to recycle', fr: 'Facture à recycler' },
    COMPLETE: { en: 'suspended invoice to complete', fr: 'Facture suspendue à compléter' },
    DUPLICATE_NUMBER: { en: 'invoice number already used', fr: 'Numéro de facture déjà utilisé' },
  }),
} as Record<string, { readonly en: string; readonly fr: string }>;
