/**
 * Labels of codes, `label.<kind>.<code>`: our invoice statuses, Chorus Pro's statuses, the
 * Chorus code lists a clerk meets (VAT regimes, payment modes, billing frames, task kinds), the
 * invoice fields a task asks for, attachment types, audit entry kinds, connection checks and roles.
 * Shown through `{name:kind}` placeholders and `labelOf(kind, code)`; the back-office pages get
 * them all (GET /app/messages.js).
 */
type LabelEntry = { readonly en: string; readonly fr: string };

/**
 * The labels by kind, then code. Kept apart, not merged into one object when the module loads: the
 * workflow SDK evaluates this module for every workflow it starts (see `labelEntry` and `allLabels`).
 */
const LABEL_GROUPS: Record<string, Record<string, LabelEntry>> = {
  status: {
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
  },
  chorusStatus: {
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
  },
  vatRegime: {
    TVA_SUR_DEBIT: { en: 'VAT on debits', fr: 'TVA sur les débits' },
    TVA_SUR_ENCAISSEMENT: { en: 'VAT on receipts', fr: 'TVA sur les encaissements' },
    EXONERATION: { en: 'VAT exempt', fr: 'Exonération de TVA' },
    SANS_TVA: { en: 'no VAT', fr: 'Sans TVA' },
  },
  paymentMode: {
    CHEQUE: { en: 'cheque', fr: 'Chèque' },
    PRELEVEMENT: { en: 'direct debit', fr: 'Prélèvement' },
    VIREMENT: { en: 'bank transfer', fr: 'Virement' },
    ESPECE: { en: 'cash', fr: 'Espèces' },
    AUTRE: { en: 'other', fr: 'Autre' },
    REPORT: { en: 'carried over', fr: 'Report' },
  },
  billingFrame: {
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
  },
  environment: {
    simulator: { en: 'simulator', fr: 'du simulateur' },
    sandbox: { en: 'sandbox', fr: 'bac à sable' },
    production: { en: 'production', fr: 'de production' },
  },
  connectionStatus: {
    VERIFYING: { en: 'being verified', fr: 'en cours de vérification' },
    CONNECTED: { en: 'connected', fr: 'connectée' },
    DEGRADED: { en: 'degraded', fr: 'dégradée' },
    FAILED: { en: 'failed', fr: 'en échec' },
    UNKNOWN: { en: 'unknown', fr: 'inconnue' },
  },
  taskKind: {
    MISSING_DATA: { en: 'missing data', fr: 'Données manquantes' },
    CORRECTION: { en: 'correction asked by Chorus Pro', fr: 'Correction demandée par Chorus Pro' },
    SUBMISSION_FAILING: { en: 'sending keeps failing', fr: 'Envoi impossible pour l’instant' },
    APPROVAL: { en: 'approval before sending', fr: 'Validation avant envoi' },
    RECYCLE: { en: 'invoice to recycle', fr: 'Facture à recycler' },
    COMPLETE: { en: 'suspended invoice to complete', fr: 'Facture suspendue à compléter' },
    DUPLICATE_NUMBER: { en: 'invoice number already used', fr: 'Numéro de facture déjà utilisé' },
    VALIDATOR_ERROR: { en: 'validator to correct', fr: 'Valideur à corriger' },
  },
  // The invoice fields (dotted paths) a task may ask for, and the task-only ones.
  field: {
    'references.engagementNumber': { en: 'engagement number', fr: 'Numéro d’engagement juridique' },
    'references.contractNumber': { en: 'contract number', fr: 'Numéro de marché' },
    'buyer.serviceCode': { en: "buyer's service code", fr: 'Code service de l’acheteur' },
    'buyer.siret': { en: "buyer's SIRET", fr: 'SIRET de l’acheteur' },
    'validator.siret': { en: "validating structure's SIRET", fr: 'SIRET de la structure qui valide' },
    'references.engagementConfirmed': {
      en: 'engagement number confirmed as it is',
      fr: 'Confirmation du numéro d’engagement',
    },
    originalInvoiceNumber: { en: 'credited invoice number', fr: 'Numéro de la facture d’origine' },
    billingFrame: { en: 'billing frame', fr: 'Cadre de facturation' },
    vatRegime: { en: 'VAT regime', fr: 'Régime de TVA' },
    vatExemptionReason: { en: 'VAT exemption reason', fr: 'Motif d’exonération de TVA' },
    paymentMode: { en: 'payment mode', fr: 'Mode de paiement' },
    bankAccountId: { en: 'bank account', fr: 'Compte bancaire' },
    totals: { en: 'totals', fr: 'Totaux' },
    attachments: { en: 'attachments', fr: 'Pièces jointes' },
    comment: { en: 'comment', fr: 'Commentaire' },
    approve: { en: 'decision', fr: 'Décision' },
    values: { en: 'values', fr: 'Valeurs' },
  },
  // Answer values shown by name (a confirmation's only value is true).
  answerValue: {
    true: { en: 'true', fr: 'oui' },
  },
  // Chorus Pro's states of an engagement (purchase order).
  engagementState: {
    COMMANDE: { en: 'ordered (open)', fr: 'ouvert (commandé)' },
    CLOTURE: { en: 'closed', fr: 'clôturé' },
  },
  // Attachment types offered in the back-office: the Chorus client sends each one's code
  // (activities/chorus/uncertain-facts.ts ATTACHMENT_TYPES; a test keeps the two lists equal).
  attachmentType: {
    'Doc. Annexe': { en: 'supporting document', fr: 'Document annexe' },
    RIB: { en: 'bank details (RIB)', fr: 'RIB' },
    'Bon de livraison': { en: 'delivery note', fr: 'Bon de livraison' },
    Devis: { en: 'quote', fr: 'Devis' },
    'Autre justificatif': { en: 'other supporting document', fr: 'Autre justificatif' },
    Autre: { en: 'other', fr: 'Autre' },
  },
  // Every kind of audit timeline entry (audit/timeline.ts AUDIT_ENTRY_KINDS), for filters and exports.
  auditKind: {
    'invoice.received': { en: 'invoice received', fr: 'Facture reçue' },
    'checklist.evaluated': { en: 'readiness checklist', fr: 'Liste de contrôle' },
    'task.opened': { en: 'task opened', fr: 'Tâche ouverte' },
    'task.answered': { en: 'task answered', fr: 'Réponse à une tâche' },
    'task.reminder': { en: 'reminder', fr: 'Relance' },
    'task.closed': { en: 'task closed', fr: 'Tâche close' },
    'timer.armed': { en: 'timer armed', fr: 'Minuteur armé' },
    'cancel.requested': { en: 'cancellation requested', fr: 'Annulation demandée' },
    'connection.waiting': { en: 'waiting for the connection', fr: 'Attente de la connexion' },
    'connection.resumed': { en: 'connection back', fr: 'Connexion rétablie' },
    'attachment.uploaded': { en: 'attachment uploaded', fr: 'Pièce jointe déposée' },
    'submission.sent': { en: 'sent to Chorus Pro', fr: 'Envoi à Chorus Pro' },
    'submission.unknown': { en: 'submission without answer', fr: 'Envoi sans réponse' },
    'lookup.done': { en: 'lookup in Chorus Pro', fr: 'Recherche dans Chorus Pro' },
    'deposit.adopted': { en: 'deposit recorded', fr: 'Dépôt enregistré' },
    'status.changed': { en: 'status change', fr: 'Changement de statut' },
    'chorus.status': { en: 'Chorus Pro status', fr: 'Statut Chorus Pro' },
    'chorus.recycled': { en: 'recycled', fr: 'Recyclage' },
    'chorus.completed': { en: 'completed', fr: 'Complément' },
    'tracking.started': { en: 'tracking started', fr: 'Suivi commencé' },
    'tracking.stopped': { en: 'tracking stopped', fr: 'Suivi arrêté' },
    'run.started': { en: 'run started', fr: 'Exécution démarrée' },
    'run.continued_as_new': { en: 'run continued', fr: 'Exécution poursuivie' },
    result: { en: 'workflow result', fr: 'Fin du workflow' },
    'workflow_task.failed': { en: 'workflow task failed', fr: 'Tâche de workflow en échec' },
    'activity.retried': { en: 'call retried', fr: 'Appel relancé' },
    'activity.failed': { en: 'call failed', fr: 'Appel en échec' },
    'webhook.delivered': { en: 'webhook delivered', fr: 'Webhook remis' },
    'webhook.failed': { en: 'webhook given up', fr: 'Webhook abandonné' },
  },
  // A connection's checks (api-family:<family> checks are named per family by the pages).
  connectionCheck: {
    'piste-oauth': { en: 'PISTE authentication', fr: 'Authentification PISTE' },
    'technical-account': { en: 'Chorus Pro technical account', fr: 'Compte technique Chorus Pro' },
    'supplier-attachment': { en: 'attachment to the supplier', fr: 'Rattachement au fournisseur' },
    'password-expiry': { en: 'password expiry', fr: 'Expiration du mot de passe' },
  },
  // Chorus Pro's API families, each checked on its own (`api-family:<family>`).
  apiFamily: {
    transverses: { en: 'Transverses', fr: 'Transverses' },
    structures: { en: 'Structures', fr: 'Structures' },
    utilisateurs: { en: 'Utilisateurs', fr: 'Utilisateurs' },
    engagementsJuridiques: { en: 'Engagements juridiques', fr: 'Engagements juridiques' },
    factures: { en: 'Factures', fr: 'Factures' },
  },
  checkResult: {
    ok: { en: 'passed', fr: 'réussie' },
    warning: { en: 'warning', fr: 'avertissement' },
    failed: { en: 'failed', fr: 'en échec' },
    skipped: { en: 'not checked', fr: 'non vérifiée' },
  },
  role: {
    system: { en: 'software', fr: 'logiciel' },
    staff: { en: 'staff', fr: 'gestionnaire' },
    auditor: { en: 'auditor', fr: 'auditeur' },
    admin: { en: 'administrator', fr: 'administrateur' },
  },
};

/** The label of one code of a kind, if it has one. */
export function labelEntry(kind: string, code: string): LabelEntry | undefined {
  const group = Object.hasOwn(LABEL_GROUPS, kind) ? LABEL_GROUPS[kind] : undefined;
  return group && Object.hasOwn(group, code) ? group[code] : undefined;
}

let flat: Record<string, LabelEntry> | undefined;

/** Every label as `label.<kind>.<code>` (the back-office pages get them all), built on first use. */
export function allLabels(): Record<string, LabelEntry> {
  flat ??= Object.fromEntries(
    Object.entries(LABEL_GROUPS).flatMap(([kind, entries]) =>
      Object.entries(entries).map(([code, entry]) => [`label.${kind}.${code}`, entry]),
    ),
  );
  return flat;
}
