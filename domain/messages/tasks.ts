/** What a person reads on a task: its title, description and why each field is asked. */
export const TASK_MESSAGES = {
  'task.missingData.title': { en: 'Missing data for Chorus Pro', fr: 'Données manquantes pour Chorus Pro' },
  'task.missingData.description': {
    en: 'Chorus Pro needs {count} more piece(s) of information for this buyer before the invoice can be sent.',
    fr: 'Chorus Pro demande {count} information(s) de plus pour cet acheteur avant l’envoi de la facture.',
  },
  'task.correction.title': { en: 'Correction asked by Chorus Pro', fr: 'Correction demandée par Chorus Pro' },
  'task.correction.description': {
    en: 'Chorus Pro refused the invoice because of a value a person can change (code {code}). Correct it; the invoice is checked and sent again with the same number.',
    fr: 'Chorus Pro a refusé la facture à cause d’une valeur modifiable (code {code}). Corrigez-la ; la facture est vérifiée puis renvoyée avec le même numéro.',
  },
  'task.correction.why': {
    en: 'Chorus Pro refused the value: {libelle}',
    fr: 'Chorus Pro a refusé cette valeur : {libelle}',
  },
  'task.submissionFailing.title': { en: 'Sending keeps failing', fr: 'Envoi impossible pour l’instant' },
  'task.submissionFailing.description': {
    en: 'Chorus Pro gave no usable answer to {attempts} attempts to send this invoice (each time the invoice was looked up first and not found, so nothing was sent twice). Last answer: {lastError}. Approve to keep trying, or refuse to stop: the invoice then fails and can be sent again later under the same number.',
    fr: 'Chorus Pro n’a pas donné de réponse exploitable à {attempts} tentatives d’envoi de cette facture (à chaque fois la facture a d’abord été recherchée et non trouvée : rien n’a été envoyé deux fois). Dernière réponse : {lastError}. Validez pour continuer d’essayer, ou refusez pour arrêter : la facture passe alors en échec et pourra être renvoyée plus tard sous le même numéro.',
  },
  'task.approval.title': { en: 'Approval before sending', fr: 'Validation avant envoi' },
  'task.approval.description': {
    en: 'Check the exact data that will be sent to Chorus Pro, then approve ("Envoyer") or refuse.',
    fr: 'Vérifiez les données exactes qui seront envoyées à Chorus Pro, puis validez (« Envoyer ») ou refusez.',
  },
  'task.duplicate.title': { en: 'Invoice number already used', fr: 'Numéro de facture déjà utilisé' },
  'task.duplicate.found': {
    en: 'Chorus Pro already has invoice {number} from this supplier, for buyer {buyerSiret}.',
    fr: 'Chorus Pro connaît déjà une facture {number} de ce fournisseur, pour l’acheteur {buyerSiret}.',
  },
  'task.duplicate.foundWithAmount': {
    en: 'Chorus Pro already has invoice {number} from this supplier, for buyer {buyerSiret} and {amount} incl. VAT.',
    fr: 'Chorus Pro connaît déjà une facture {number} de ce fournisseur, pour l’acheteur {buyerSiret} et {amount:amount} € TTC.',
  },
  'task.duplicate.notFound': {
    en: 'Chorus Pro says invoice number {number} was already used by this supplier.',
    fr: 'Chorus Pro indique que le numéro de facture {number} est déjà utilisé par ce fournisseur.',
  },
  'task.duplicate.decide': {
    en: 'If that invoice is this one, approve to follow it; otherwise refuse: a new invoice number is needed.',
    fr: 'S’il s’agit de celle-ci, confirmez pour la suivre ; sinon refusez : il faut un nouveau numéro de facture.',
  },
  'task.recycle.title': { en: 'Invoice to recycle', fr: 'Facture à recycler' },
  'task.recycle.description': {
    en: 'The buyer sent the invoice back for wrong routing data (A_RECYCLER).',
    fr: 'L’acheteur a renvoyé la facture pour des données d’acheminement erronées (à recycler).',
  },
  'task.recycle.ask': {
    en: 'Give the right service code and/or engagement number; the invoice keeps its number.',
    fr: 'Indiquez le bon code service et/ou numéro d’engagement ; la facture garde son numéro.',
  },
  'task.complete.title': { en: 'Suspended invoice to complete', fr: 'Facture suspendue à compléter' },
  'task.complete.description': {
    en: 'The buyer suspended the invoice (SUSPENDUE): supporting documents are missing.',
    fr: 'L’acheteur a suspendu la facture : des pièces justificatives manquent.',
  },
  'task.complete.ask': {
    en: 'Add the attachments and/or a comment.',
    fr: 'Ajoutez les pièces jointes et/ou un commentaire.',
  },
  'task.validatorError.title': { en: 'Validator to correct', fr: 'Valideur à corriger' },
  'task.validatorError.description': {
    en: 'The validator structure named on this sub- or co-contractor invoice is not the right one ({status}).',
    fr: 'La structure valideuse désignée sur cette facture de sous-traitant ou de cotraitant n’est pas la bonne ({status:chorusStatus}).',
  },
  'task.validatorError.ask': {
    en: 'Correct the validator in the Chorus Pro portal (the invoice, « Corriger le valideur »), then confirm here to keep following the invoice; or refuse to stop following it.',
    fr: 'Corrigez le valideur dans le portail Chorus Pro (la facture, « Corriger le valideur »), puis confirmez ici pour continuer de suivre la facture ; ou refusez pour arrêter son suivi.',
  },
  'task.buyerSays': { en: 'The buyer says: "{comment}".', fr: 'L’acheteur indique : « {comment} ».' },
  'task.field.serviceCode.recycle': {
    en: 'The buyer service that must receive the invoice.',
    fr: 'Le service de l’acheteur qui doit recevoir la facture.',
  },
  'task.field.engagementNumber.recycle': {
    en: 'The engagement (purchase order) number, if the buyer asks for one.',
    fr: 'Le numéro d’engagement (bon de commande), si l’acheteur en demande un.',
  },
  'task.field.comment.forBuyer': {
    en: 'A message for the buyer (optional).',
    fr: 'Un message pour l’acheteur (facultatif).',
  },
  'task.field.attachments.complete': {
    en: 'The missing supporting documents (type "Doc. Annexe" by default).',
    fr: 'Les pièces justificatives manquantes (type « Doc. Annexe » par défaut).',
  },
  'task.field.comment.complete': {
    en: 'A message for the buyer (≤ 2000 characters).',
    fr: 'Un message pour l’acheteur (2000 caractères au plus).',
  },
} as const;
