/** The audit timeline's sentences: one per recorded fact, and the Temporal events shown beside them. */
export const AUDIT_MESSAGES = {
  'audit.received': {
    en: 'Invoice {number} was received for buyer {buyerSiret} on connection {connectionId}, with {lines} line(s) and {attachments} attachment(s).',
    fr: 'Facture {number} reçue pour l’acheteur {buyerSiret} sur la connexion {connectionId}, avec {lines} ligne(s) et {attachments} pièce(s) jointe(s).',
  },
  'audit.checklist.passed': {
    en: 'Readiness checklist: all {count} checks passed.',
    fr: 'Liste de contrôle : les {count} vérifications sont passées.',
  },
  'audit.checklist.failed': {
    en: 'Readiness checklist: {passed} of {count} checks passed; failed: {failed}.',
    fr: 'Liste de contrôle : {passed} vérification(s) sur {count} passée(s) ; en échec : {failed}.',
  },
  'audit.task.opened': {
    en: 'Task {taskId} opened ({kind:taskKind}), asking for: {fields}.',
    fr: 'Tâche {taskId} ouverte ({kind:taskKind}), demandant : {fields}.',
  },
  'audit.task.openedNoFields': {
    en: 'Task {taskId} opened ({kind:taskKind}).',
    fr: 'Tâche {taskId} ouverte ({kind:taskKind}).',
  },
  'audit.task.buyerSays': { en: 'The buyer says: "{comment}".', fr: 'L’acheteur indique : « {comment} ».' },
  'audit.task.answered': {
    en: 'Task {taskId} ({kind:taskKind}) was answered by {who}: {answer}.',
    fr: 'Tâche {taskId} ({kind:taskKind}) traitée par {who} : {answer}.',
  },
  'audit.task.approved': { en: 'approved', fr: 'validée' },
  'audit.task.refused': { en: 'refused', fr: 'refusée' },
  'audit.task.attachments': {
    en: '{count} attachment(s): {files}',
    fr: '{count} pièce(s) jointe(s) : {files}',
  },
  'audit.task.comment': { en: 'comment "{comment}"', fr: 'commentaire « {comment} »' },
  'audit.task.noValues': { en: 'no values', fr: 'aucune valeur' },
  'audit.task.reminder': {
    en: 'Reminder {count}: task {taskId} ({kind:taskKind}) was still unanswered after {after}.',
    fr: 'Relance {count} : la tâche {taskId} ({kind:taskKind}) attendait toujours une réponse après {after:duration}.',
  },
  'audit.task.closed': { en: 'Task {taskId} closed.', fr: 'Tâche {taskId} close.' },
  'audit.timer.taskReminder': {
    en: 'A reminder is due if the task is still unanswered after {after}.',
    fr: 'Une relance est prévue si la tâche reste sans réponse après {after:duration}.',
  },
  'audit.timer.trackingFallback': {
    en: 'Without news from the connection tracker within {after}, the invoice reads its Chorus Pro history itself.',
    fr: 'Sans nouvelles du suivi de la connexion sous {after:duration}, la facture lit elle-même son historique Chorus Pro.',
  },
  'audit.timer.resubmitBackoff': {
    en: 'Waiting {after} before looking the invoice up in Chorus Pro.',
    fr: 'Attente de {after:duration} avant de rechercher la facture dans Chorus Pro.',
  },
  'audit.cancel.requested': {
    en: 'Cancellation requested by {who}.',
    fr: 'Annulation demandée par {who}.',
  },
  'audit.cancel.requestedWithReason': {
    en: 'Cancellation requested by {who}, reason "{reason}".',
    fr: 'Annulation demandée par {who}, motif « {reason} ».',
  },
  'audit.connection.waiting': {
    en: 'The invoice waits for its connection: {reason} (asked again every {every}, or at once when it recovers).',
    fr: 'La facture attend sa connexion : {reason} (vérifiée à nouveau toutes les {every:duration}, ou dès qu’elle est rétablie).',
  },
  'audit.connection.resumed': {
    en: 'The connection works again; the invoice resumes.',
    fr: 'La connexion fonctionne à nouveau ; la facture reprend.',
  },
  'audit.attachment.uploaded': {
    en: 'Attachment {file} ({size} bytes) was uploaded to Chorus Pro as piece {id}.',
    fr: 'Pièce jointe {file} ({size} octets) déposée dans Chorus Pro sous le numéro {id}.',
  },
  'audit.submission.accepted': {
    en: 'The invoice was sent to Chorus Pro (factures/soumettre, attempt {attempt}) and accepted as Chorus Pro invoice {id}, status {status}, deposited {date}.',
    fr: 'La facture a été envoyée à Chorus Pro (factures/soumettre, tentative {attempt}) et acceptée sous le numéro Chorus Pro {id}, statut {status:chorusStatus}, déposée le {date:date}.',
  },
  'audit.submission.duplicate': {
    en: 'The invoice was sent to Chorus Pro (factures/soumettre, attempt {attempt}), which refused the number as already used: {libelle} (code {code}).',
    fr: 'La facture a été envoyée à Chorus Pro (factures/soumettre, tentative {attempt}), qui a refusé le numéro comme déjà utilisé : {libelle} (code {code}).',
  },
  'audit.submission.rejected': {
    en: 'The invoice was sent to Chorus Pro (factures/soumettre, attempt {attempt}), which refused it: {libelle} (code {code}).',
    fr: 'La facture a été envoyée à Chorus Pro (factures/soumettre, tentative {attempt}), qui l’a refusée : {libelle} (code {code}).',
  },
  'audit.submission.unknown': {
    en: 'The submission (factures/soumettre, attempt {attempt}) got no usable answer: {error}. The outcome is unknown, so the invoice is looked up in Chorus Pro before anything is sent again.',
    fr: 'L’envoi (factures/soumettre, tentative {attempt}) n’a pas reçu de réponse exploitable : {error}. Le résultat est inconnu : la facture est recherchée dans Chorus Pro avant tout renvoi.',
  },
  'audit.lookup.notFound': {
    en: 'Invoice {number} was looked up in Chorus Pro ({why}) and not found.',
    fr: 'La facture {number} a été recherchée dans Chorus Pro ({why}) et n’a pas été trouvée.',
  },
  'audit.lookup.foundOurs': {
    en: 'Invoice {number} was looked up in Chorus Pro ({why}) and found: Chorus Pro invoice {id}, status {status}, buyer {buyerSiret}, {amount} incl. VAT — this invoice.',
    fr: 'La facture {number} a été recherchée dans Chorus Pro ({why}) et trouvée : facture Chorus Pro {id}, statut {status:chorusStatus}, acheteur {buyerSiret}, {amount:amount} € TTC — c’est cette facture.',
  },
  'audit.lookup.foundOther': {
    en: 'Invoice {number} was looked up in Chorus Pro ({why}) and found: Chorus Pro invoice {id}, status {status}, buyer {buyerSiret}, {amount} incl. VAT — not this invoice (other buyer or amount).',
    fr: 'La facture {number} a été recherchée dans Chorus Pro ({why}) et trouvée : facture Chorus Pro {id}, statut {status:chorusStatus}, acheteur {buyerSiret}, {amount:amount} € TTC — ce n’est pas cette facture (autre acheteur ou montant).',
  },
  'audit.lookup.afterUnknown': {
    en: 'after an unanswered submission',
    fr: 'après un envoi resté sans réponse',
  },
  'audit.lookup.afterDuplicate': {
    en: 'after the number was refused as already used',
    fr: 'après le refus du numéro comme déjà utilisé',
  },
  'audit.adopted.accepted': {
    en: 'Deposit recorded: Chorus Pro invoice {id}, status {status}.',
    fr: 'Dépôt enregistré : facture Chorus Pro {id}, statut {status:chorusStatus}.',
  },
  'audit.adopted.foundAfterUnknown': {
    en: 'Chorus Pro invoice {id} was adopted as this invoice’s deposit (found after an unanswered submission): nothing was sent again.',
    fr: 'La facture Chorus Pro {id} a été reprise comme dépôt de cette facture (retrouvée après un envoi sans réponse) : rien n’a été renvoyé.',
  },
  'audit.adopted.foundAfterDuplicate': {
    en: 'Chorus Pro invoice {id} was adopted: the number was refused because of this invoice’s own earlier deposit.',
    fr: 'La facture Chorus Pro {id} a été reprise : le numéro était refusé à cause du propre dépôt antérieur de cette facture.',
  },
  'audit.adopted.confirmed': {
    en: 'Chorus Pro invoice {id} was adopted as this invoice, confirmed by {who}.',
    fr: 'La facture Chorus Pro {id} a été reprise comme étant cette facture, confirmé par {who}.',
  },
  'audit.status.changed': { en: 'Status {from} → {to}.', fr: 'Statut : {from:status} → {to:status}.' },
  'audit.status.changedWithReason': {
    en: 'Status {from} → {to}: {reason}',
    fr: 'Statut : {from:status} → {to:status} : {reason}',
  },
  'audit.chorus.status': {
    en: 'Chorus Pro status {status} at {chorusAt} ({source}).',
    fr: 'Statut Chorus Pro « {status:chorusStatus} » le {chorusAt:datetime} ({source}).',
  },
  'audit.chorus.statusWithComment': {
    en: 'Chorus Pro status {status} at {chorusAt} ({source}); the buyer says: "{comment}".',
    fr: 'Statut Chorus Pro « {status:chorusStatus} » le {chorusAt:datetime} ({source}) ; l’acheteur indique : « {comment} ».',
  },
  'audit.chorus.source.tracker': {
    en: 'reported by the connection tracker',
    fr: 'signalé par le suivi de la connexion',
  },
  'audit.chorus.source.history': {
    en: 'read from the invoice’s Chorus Pro history',
    fr: 'lu dans l’historique Chorus Pro de la facture',
  },
  'audit.chorus.recycled': {
    en: 'Chorus Pro invoice {id} was recycled (factures/recycler): buyer {buyerSiret}, service {service}, engagement {engagement}.',
    fr: 'La facture Chorus Pro {id} a été recyclée (factures/recycler) : acheteur {buyerSiret}, service {service}, engagement {engagement}.',
  },
  'audit.chorus.completed': {
    en: 'Chorus Pro invoice {id} was completed (factures/completer) with {count} attachment(s).',
    fr: 'La facture Chorus Pro {id} a été complétée (factures/completer) avec {count} pièce(s) jointe(s).',
  },
  'audit.chorus.noLongerPending': {
    en: 'Chorus Pro refused to {action} invoice {id} again: it had already left that status ("{chorusSays}"), so an earlier send whose answer was lost had landed, or the return was answered elsewhere. Its history was read next.',
    fr: 'Chorus Pro a refusé de {action} à nouveau la facture {id} : elle avait déjà quitté ce statut (« {chorusSays} ») ; un envoi précédent dont la réponse s’est perdue avait donc abouti, ou le retour a été traité ailleurs. Son historique a été lu ensuite.',
  },
  'audit.chorus.action.recycle': { en: 'recycle', fr: 'recycler' },
  'audit.chorus.action.complete': { en: 'complete', fr: 'compléter' },
  'audit.tracking.started': {
    en: 'Chorus Pro invoice {id} was handed to the connection’s tracker, which reads statuses in batches.',
    fr: 'La facture Chorus Pro {id} a été confiée au suivi de la connexion, qui lit les statuts par lots.',
  },
  'audit.tracking.stopped': {
    en: 'The invoice needs no more status polling: it was removed from the connection’s tracker.',
    fr: 'La facture n’a plus besoin de suivi : elle a été retirée du suivi de la connexion.',
  },
  'audit.tracking.stoppedByTracker': {
    en: 'The invoice needs no more status polling: the connection’s tracker stopped following it after reporting its final status.',
    fr: 'La facture n’a plus besoin de suivi : le suivi de la connexion l’a retirée après avoir remonté son statut final.',
  },
  'audit.run.started': {
    en: 'Run {runId} of the workflow started.',
    fr: 'Exécution {runId} du workflow démarrée.',
  },
  'audit.run.continued': {
    en: 'The workflow continued as new in run {runId} to keep its history short.',
    fr: 'Le workflow a continué dans une nouvelle exécution {runId} pour garder un historique court.',
  },
  'audit.result.completed': {
    en: 'The invoice workflow ended with status {status}.',
    fr: 'Le workflow de la facture s’est terminé au statut « {status:status} ».',
  },
  'audit.result.failed': {
    en: 'The invoice workflow failed: {error}.',
    fr: 'Le workflow de la facture a échoué : {error}.',
  },
  'audit.result.terminated': {
    en: 'The invoice workflow was terminated by {who}: {reason}.',
    fr: 'Le workflow de la facture a été arrêté par {who} : {reason}.',
  },
  'audit.result.cancelled': {
    en: 'The invoice workflow was cancelled through Temporal.',
    fr: 'Le workflow de la facture a été annulé par Temporal.',
  },
  'audit.result.timedOut': {
    en: 'The invoice workflow timed out.',
    fr: 'Le workflow de la facture a expiré.',
  },
  'audit.workflowTask.failed': {
    en: 'A workflow task failed ({cause}): {error}; Temporal retries it.',
    fr: 'Une tâche de workflow a échoué ({cause}) : {error} ; Temporal la relance.',
  },
  'audit.activity.retried': {
    en: 'The {activity} started attempt {attempt}; the previous attempt failed: {error}.',
    fr: '{activity} : tentative {attempt} ; la précédente a échoué : {error}.',
  },
  'audit.activity.failed': {
    en: 'The {activity} failed after {attempts} attempt(s): {error}.',
    fr: '{activity} : échec après {attempts} tentative(s) : {error}.',
  },
  'audit.webhook.queued': {
    en: 'Webhook {event} was queued for {url}; the outbox delivers it (GET /v1/webhooks/events).',
    fr: 'Le webhook {event} a été mis en file pour {url} ; l’outbox le remet (GET /v1/webhooks/events).',
  },
  'audit.activity.connectionHealth': { en: 'connection health check', fr: 'Vérification de la connexion' },
  'audit.activity.supplierFacts': { en: 'supplier check', fr: 'Vérification du fournisseur' },
  'audit.activity.readinessFacts': {
    en: 'connection, supplier, buyer and reference-list check in Chorus Pro',
    fr: 'Vérification de la connexion, du fournisseur, de l’acheteur et des listes de référence dans Chorus Pro',
  },
  'audit.activity.buyerFacts': {
    en: 'buyer check in Chorus Pro',
    fr: 'Vérification de l’acheteur dans Chorus Pro',
  },
  'audit.activity.supplierBankAccounts': {
    en: "reading of the supplier's valid bank accounts",
    fr: 'Lecture des comptes bancaires valides du fournisseur',
  },
  'audit.activity.referenceLists': {
    en: 'reading of the Chorus Pro reference lists',
    fr: 'Lecture des listes de référence de Chorus Pro',
  },
  'audit.activity.uploadAttachment': {
    en: 'attachment upload (ajouter/fichier)',
    fr: 'Dépôt de pièce jointe (ajouter/fichier)',
  },
  'audit.activity.submitInvoice': { en: 'submission (factures/soumettre)', fr: 'Envoi (factures/soumettre)' },
  'audit.activity.findSubmittedInvoice': {
    en: 'lookup by invoice number (rechercher/fournisseur)',
    fr: 'Recherche par numéro de facture (rechercher/fournisseur)',
  },
  'audit.activity.invoiceStatusHistory': {
    en: 'reading of the Chorus Pro status history (consulter/historique)',
    fr: 'Lecture de l’historique Chorus Pro (consulter/historique)',
  },
  'audit.activity.recycleInvoice': {
    en: 'recycling (factures/recycler)',
    fr: 'Recyclage (factures/recycler)',
  },
  'audit.activity.completeInvoice': {
    en: 'completion (factures/completer)',
    fr: 'Complément (factures/completer)',
  },
  'audit.activity.trackInvoice': {
    en: 'waking the connection tracker',
    fr: 'Réveil du suivi de la connexion',
  },
  'audit.activity.recordInvoiceState': {
    en: 'record of the invoice in the database',
    fr: 'Enregistrement de la facture en base',
  },
} as const;
