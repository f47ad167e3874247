/** Why an invoice is where it is: status reasons and the notes of its journey. */
export const LIFECYCLE_MESSAGES = {
  'actor.person': { en: '{user} (key {keyId})', fr: '{user} (clé {keyId})' },
  'actor.key': { en: 'key {keyId}', fr: 'clé {keyId}' },
  'actor.unknown': { en: 'someone (no identity recorded)', fr: 'quelqu’un (identité non enregistrée)' },
  'journey.received': { en: 'received', fr: 'reçue' },
  'journey.answered': {
    en: 'task answered by {who}: {answer}',
    fr: 'tâche traitée par {who} : {answer}',
  },
  'journey.deposited': { en: 'deposited on {date}', fr: 'déposée le {date:date}' },
  'journey.adoptedAfterUnknown': {
    en: 'found in Chorus Pro after an unanswered submission: adopted, not sent again',
    fr: 'retrouvée dans Chorus Pro après un envoi resté sans réponse : reprise, pas renvoyée',
  },
  'journey.adoptedDuplicate': {
    en: 'Chorus Pro already had this invoice from an earlier attempt: adopted',
    fr: 'Chorus Pro avait déjà cette facture d’un envoi précédent : reprise',
  },
  'journey.confirmedSame': {
    en: 'confirmed by {who} as the same invoice',
    fr: 'confirmée par {who} comme étant la même facture',
  },
  'journey.outcomeUnknown': {
    en: 'submission outcome unknown ({error}); the invoice will be looked up before any resend',
    fr: 'résultat de l’envoi inconnu ({error}) ; la facture sera recherchée avant tout renvoi',
  },
  'journey.chorusStatus': {
    en: 'Chorus Pro status {status}',
    fr: 'Statut Chorus Pro : {status:chorusStatus}',
  },
  'journey.paid': { en: 'payment issued {date}', fr: 'mise en paiement le {date:datetime}' },
  'journey.returnNoLongerPending': {
    en: 'the invoice had already left {status} when the answer was sent again (Chorus Pro: "{chorusSays}"); tracking goes on from its history',
    fr: 'la facture avait déjà quitté le statut {status} quand la réponse a été renvoyée (Chorus Pro : « {chorusSays} ») ; le suivi reprend à partir de son historique',
  },
  'reason.awaitingData': { en: '{reasons}', fr: '{reasons}' },
  'reason.trackingEnded': {
    en: 'No status change for {horizon}; last Chorus Pro status {status}. This buyer may not report payments.',
    fr: 'Aucun changement de statut depuis {horizon:duration} ; dernier statut Chorus Pro : {status:chorusStatus}. Cet acheteur ne remonte peut-être pas les paiements.',
  },
  'reason.rejected': {
    en: 'Rejected by the buyer. A new invoice number is needed to invoice again.',
    fr: 'Rejetée par l’acheteur. Il faut un nouveau numéro de facture pour facturer à nouveau.',
  },
  'reason.rejectedWithComment': {
    en: 'Rejected by the buyer: {comment}. A new invoice number is needed to invoice again.',
    fr: 'Rejetée par l’acheteur : {comment}. Il faut un nouveau numéro de facture pour facturer à nouveau.',
  },
  'reason.refusedByValidator': {
    en: 'Refused by the validating structure (main contractor or lead). A new invoice number is needed to invoice again.',
    fr: 'Refusée par la structure qui valide (titulaire ou mandataire). Il faut un nouveau numéro de facture pour facturer à nouveau.',
  },
  'reason.refusedByValidatorWithComment': {
    en: 'Refused by the validating structure (main contractor or lead): {comment}. A new invoice number is needed to invoice again.',
    fr: 'Refusée par la structure qui valide (titulaire ou mandataire) : {comment}. Il faut un nouveau numéro de facture pour facturer à nouveau.',
  },
  'reason.abandoned': {
    en: 'The invoice was abandoned in Chorus Pro (ABANDONNEE): it will not be paid; a new invoice is needed.',
    fr: 'La facture a été abandonnée dans Chorus Pro : elle ne sera pas payée ; il faut une nouvelle facture.',
  },
  'reason.deleted': {
    en: 'The invoice was deleted in Chorus Pro (SUPPRIMEE): it will not be paid; a new invoice is needed.',
    fr: 'La facture a été supprimée dans Chorus Pro : elle ne sera pas payée ; il faut une nouvelle facture.',
  },
  'reason.refusedBySubmission': {
    en: 'Chorus Pro refused the invoice: {libelle} (code {code}). Correct it and submit it again.',
    fr: 'Chorus Pro a refusé la facture : {libelle} (code {code}). Corrigez-la et soumettez-la à nouveau.',
  },
  'reason.correctionAsked': {
    en: 'Chorus Pro refused the invoice: {libelle} (code {code}). A person must correct it.',
    fr: 'Chorus Pro a refusé la facture : {libelle} (code {code}). Une correction est nécessaire.',
  },
  'reason.submissionFailing': {
    en: 'Chorus Pro gave no usable answer to {attempts} attempts: {lastError}',
    fr: 'Chorus Pro n’a pas donné de réponse exploitable à {attempts} tentatives : {lastError}',
  },
  'reason.submissionAbandoned': {
    en: 'Sending was stopped by {who} after {attempts} attempts without a usable answer from Chorus Pro (last: {lastError}). Nothing was deposited: the invoice can be sent again under the same number.',
    fr: 'L’envoi a été arrêté par {who} après {attempts} tentatives sans réponse exploitable de Chorus Pro (dernière : {lastError}). Rien n’a été déposé : la facture peut être renvoyée sous le même numéro.',
  },
  'reason.ambiguousLookup': {
    en: 'Chorus Pro has {count} invoices of this supplier for this buyer and amount deposited since yesterday, and numbers invoices itself: it may already have this one',
    fr: 'Chorus Pro a {count} factures de ce fournisseur pour cet acheteur et ce montant déposées depuis hier, et numérote lui-même les factures : il a peut-être déjà celle-ci',
  },
  'reason.numberUsed': {
    en: 'Invoice number {number} is already used in Chorus Pro: a new invoice number is needed.',
    fr: 'Le numéro de facture {number} est déjà utilisé dans Chorus Pro : il faut un nouveau numéro de facture.',
  },
  'reason.unexpected': { en: 'Unexpected error: {error}', fr: 'Erreur inattendue : {error}' },
  'reason.cancelled': { en: 'cancelled on request', fr: 'annulée à la demande' },
  'reason.cancelledWithReason': { en: '{reason}', fr: '{reason}' },
  'reason.notApproved': { en: 'not approved', fr: 'non validée' },
  'reason.notApprovedWithComment': { en: 'not approved: {comment}', fr: 'non validée : {comment}' },
  'reason.actionRecycle': { en: 'A_RECYCLER.', fr: 'À recycler.' },
  'reason.actionComplete': { en: 'SUSPENDUE.', fr: 'Suspendue.' },
  'reason.actionValidator': {
    en: 'The validator must be corrected in Chorus Pro ({status}).',
    fr: 'Le valideur doit être corrigé dans Chorus Pro ({status:chorusStatus}).',
  },
  'reason.validatorNotCorrected': {
    en: 'Tracking stopped by a person: the validator was not corrected ({status}).',
    fr: 'Suivi arrêté par une personne : le valideur n’a pas été corrigé ({status:chorusStatus}).',
  },
} as const;
