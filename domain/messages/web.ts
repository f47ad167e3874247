/**
 * The back-office pages' own texts (headings, buttons, hints, empty states, errors), served to
 * them with the rest of the catalogue (GET /app/messages.js). The pages are in French; the
 * English keeps the catalogue whole (and says what each text is for).
 */
export const WEB_MESSAGES = {
  'web.app.name': { en: 'Chorus Pro back-office', fr: 'Chorus Pro · back-office' },
  'web.skip': { en: 'Skip to content', fr: 'Aller au contenu' },
  'web.loading': { en: 'Loading…', fr: 'Chargement…' },
  'web.percent': { en: '{rate} %', fr: '{rate} %' },

  'web.nav.label': { en: 'Main menu', fr: 'Navigation principale' },
  'web.nav.tasks': { en: 'Tasks', fr: 'Tâches' },
  'web.nav.invoices': { en: 'Invoices', fr: 'Factures' },
  'web.nav.connections': { en: 'Connections', fr: 'Connexions' },
  'web.nav.logout': { en: 'Log out', fr: 'Se déconnecter' },
  'web.nav.openTasks': { en: '{count} open task(s)', fr: '{count} tâche(s) ouverte(s)' },
  'web.header.who': { en: '{person} · {role} (key {keyId})', fr: '{person} · {role} (clé {keyId})' },

  'web.login.title': { en: 'Log in to the back-office', fr: 'Connexion au back-office' },
  'web.login.person': { en: 'Your name or e-mail', fr: 'Votre nom ou e-mail' },
  'web.login.personHint': {
    en: 'Recorded with every answer, approval, refusal, cancellation and verification you make.',
    fr: 'Enregistré avec chaque réponse, validation, refus, annulation et vérification que vous faites.',
  },
  'web.login.key': { en: 'API key', fr: 'Clé d’API' },
  'web.login.keyHint': {
    en: 'A staff, auditor or administrator key. It stays in this tab and is gone when the tab is closed.',
    fr: 'Une clé de gestionnaire (staff), d’auditeur ou d’administrateur. Elle reste dans cet onglet et disparaît à sa fermeture.',
  },
  'web.login.submit': { en: 'Log in', fr: 'Se connecter' },
  'web.login.personMissing': {
    en: 'Say who is working: your name or e-mail.',
    fr: 'Indiquez qui travaille : votre nom ou votre e-mail.',
  },
  'web.login.personInvalid': {
    en: "Letters, digits, spaces and . @ _ + ' - only (at most 120 characters).",
    fr: "Lettres, chiffres, espaces et . @ _ + ' - uniquement (120 caractères au plus).",
  },
  'web.login.keyMissing': { en: 'Give your API key.', fr: 'Indiquez votre clé d’API.' },
  'web.login.systemKey': {
    en: 'This key belongs to a piece of software ("system" role): use a staff, auditor or administrator key.',
    fr: 'Cette clé est celle d’un logiciel (rôle « system ») : utilisez une clé de gestionnaire, d’auditeur ou d’administrateur.',
  },
  'web.login.unknownKey': { en: 'Unknown key.', fr: 'Clé inconnue.' },
  'web.login.failed': {
    en: 'The service could not be reached: try again in a moment.',
    fr: 'Connexion impossible : le service ne répond pas, réessayez dans un instant.',
  },
  'web.login.expired': {
    en: 'The session expired or the key was revoked: log in again.',
    fr: 'La session a expiré ou la clé a été révoquée : reconnectez-vous.',
  },

  'web.error.unreachable': {
    en: 'The service cannot be reached. The page tries again by itself.',
    fr: 'Le service est injoignable. La page réessaie d’elle-même.',
  },
  'web.error.notFound': { en: 'Not found.', fr: 'Introuvable.' },
  'web.error.forbidden': {
    en: 'Your key may not see this.',
    fr: 'Votre clé ne permet pas de voir ceci.',
  },
  'web.error.rateLimited': {
    en: 'Too many requests with this key: the page slows down.',
    fr: 'Trop de requêtes avec cette clé : la page ralentit.',
  },
  'web.error.unavailable': {
    en: 'The workflow service is unavailable; the page tries again by itself.',
    fr: 'Le service des workflows est indisponible ; la page réessaie d’elle-même.',
  },
  'web.error.http': {
    en: 'The service could not answer (HTTP {status}).',
    fr: 'Le service n’a pas pu répondre (HTTP {status}).',
  },

  'web.filter.all': { en: 'All', fr: 'Tous' },
  'web.filter.apply': { en: 'Filter', fr: 'Filtrer' },
  'web.filter.connection': { en: 'Connection', fr: 'Connexion' },
  'web.buyer.named': { en: '{name} (SIRET {siret})', fr: '{name} (SIRET {siret})' },
  'web.buyer.siretOnly': { en: 'SIRET {siret}', fr: 'SIRET {siret}' },

  'web.tasks.title': { en: 'Open tasks', fr: 'Tâches ouvertes' },
  'web.tasks.filter.kind': { en: 'Kind of task', fr: 'Type de tâche' },
  'web.tasks.kind.connection': { en: 'Failing connection', fr: 'Connexion en échec' },
  'web.tasks.invoice': { en: 'invoice', fr: 'facture' },
  'web.tasks.meta': {
    en: 'Buyer {buyer} · connection {connection} · opened {opened}',
    fr: 'Acheteur {buyer} · connexion {connection} · ouverte le {opened}',
  },
  'web.tasks.empty': { en: 'No open task.', fr: 'Aucune tâche ouverte.' },

  'web.invoices.title': { en: 'Invoices', fr: 'Factures' },
  'web.invoices.filter.status': { en: 'Status', fr: 'Statut' },
  'web.invoices.filter.chorusStatus': { en: 'Chorus Pro status', fr: 'Statut Chorus Pro' },
  'web.invoices.filter.search': { en: 'Search', fr: 'Recherche' },
  'web.invoices.filter.searchHint': {
    en: "Part of the number, of the buyer's name or SIRET; any case, with or without accents.",
    fr: 'Une partie du numéro, du nom ou du SIRET de l’acheteur ; majuscules ou minuscules, accents ou non.',
  },
  'web.invoices.column.number': { en: 'Number', fr: 'Numéro' },
  'web.invoices.column.buyer': { en: 'Buyer', fr: 'Acheteur' },
  'web.invoices.column.status': { en: 'Status', fr: 'Statut' },
  'web.invoices.column.chorusStatus': { en: 'Chorus Pro status', fr: 'Statut Chorus Pro' },
  'web.invoices.column.task': { en: 'Task', fr: 'Tâche' },
  'web.invoices.column.connection': { en: 'Connection', fr: 'Connexion' },
  'web.invoices.openTask': { en: 'to handle', fr: 'à traiter' },
  'web.invoices.empty': { en: 'No invoice.', fr: 'Aucune facture.' },

  'web.invoice.back': { en: '← Invoices', fr: '← Factures' },
  'web.invoice.title': { en: 'Invoice {number}', fr: 'Facture {number}' },
  'web.invoice.chorusStatus': { en: 'Chorus Pro: {status}', fr: 'Chorus Pro : {status}' },
  'web.invoice.chorusId': { en: 'Chorus Pro no. {id}', fr: 'n° Chorus Pro {id}' },
  'web.invoice.meta': {
    en: 'Buyer {buyer} · connection {connection}',
    fr: 'Acheteur {buyer} · connexion {connection}',
  },
  'web.invoice.readArchived': {
    en: 'Archived invoice: its workflow is closed and no longer in Temporal; it is read from the archive.',
    fr: 'Facture archivée : son workflow est clos et n’est plus dans Temporal ; elle est lue depuis l’archive.',
  },
  'web.invoice.readStale': {
    en: 'Temporal does not answer: state recorded on {at}, possibly out of date.',
    fr: 'Temporal ne répond pas : état enregistré le {at}, peut-être dépassé.',
  },
  'web.invoice.checklist': { en: 'Checks', fr: 'Vérifications' },
  'web.invoice.chorusStatuses': { en: 'Chorus Pro statuses', fr: 'Statuts Chorus Pro' },
  'web.invoice.notDeposited': { en: 'Not deposited yet.', fr: 'Pas encore déposée.' },
  'web.invoice.attachments': { en: 'Attachments', fr: 'Pièces jointes' },
  'web.invoice.noAttachment': { en: 'None.', fr: 'Aucune.' },
  'web.invoice.journey': { en: 'Journey', fr: 'Parcours' },
  'web.attachment.line': { en: '{file} ({type}, {size})', fr: '{file} ({type}, {size})' },
  'web.steps.label': { en: 'Steps', fr: 'Étapes' },
  'web.steps.information': { en: 'Information', fr: 'Informations' },
  'web.steps.checking': { en: 'Checks', fr: 'Vérification' },
  'web.steps.attachments': { en: 'Attachments', fr: 'Pièces jointes' },
  'web.steps.sending': { en: 'Sending', fr: 'Envoi' },
  'web.steps.tracking': { en: 'Tracking', fr: 'Suivi' },

  'web.task.send': { en: 'Send the answer', fr: 'Envoyer la réponse' },
  'web.task.readOnly': {
    en: 'Read only: only a staff key may answer.',
    fr: 'Lecture seule : seule une clé de gestionnaire (staff) peut répondre.',
  },
  'web.task.fixFields': {
    en: 'The answer is not sent: correct the fields marked.',
    fr: 'La réponse n’est pas envoyée : corrigez les champs signalés.',
  },
  'web.task.refusedFields': {
    en: 'The answer was refused: correct the fields marked.',
    fr: 'La réponse a été refusée : corrigez les champs signalés.',
  },
  'web.task.refused': {
    en: 'The answer was refused by the service.',
    fr: 'La réponse a été refusée par le service.',
  },
  'web.task.stale': {
    en: 'This task is no longer open: the page shows the current one.',
    fr: 'Cette tâche n’est plus ouverte : la page affiche la tâche en cours.',
  },
  'web.task.accepted': {
    en: 'Answer recorded: the invoice goes on.',
    fr: 'Réponse enregistrée : la facture reprend son cours.',
  },
  'web.task.findingNext': { en: 'Looking for the next task…', fr: 'Recherche de la tâche suivante…' },
  'web.task.next': {
    en: 'Next task: {kind}, invoice {number}',
    fr: 'Tâche suivante : {kind}, facture {number}',
  },
  'web.task.noNext': { en: 'No other open task.', fr: 'Aucune autre tâche ouverte.' },
  'web.task.backToTasks': { en: 'Back to the tasks', fr: 'Retour aux tâches' },

  'web.field.choose': { en: '— choose —', fr: '— choisir —' },
  'web.field.oneOf': { en: 'One or the other', fr: 'L’un ou l’autre' },
  'web.field.oneOfHint': {
    en: 'This buyer accepts either: fill at least one of these fields.',
    fr: 'Cet acheteur accepte l’un ou l’autre : renseignez au moins un de ces champs.',
  },
  'web.field.or': { en: 'or', fr: 'ou' },
  'web.field.refused': {
    en: 'Your answer was refused: "{value}". {why}',
    fr: 'Votre réponse a été refusée : « {value} ». {why}',
  },
  'web.field.attachmentType': { en: 'Type of "{file}"', fr: 'Type de « {file} »' },

  'web.validation.required': { en: 'required', fr: 'obligatoire' },
  'web.validation.maxLength': {
    en: 'at most {max} characters (Chorus Pro limit)',
    fr: '{max} caractères au plus (limite de Chorus Pro)',
  },
  'web.validation.characters': {
    en: 'contains characters Chorus Pro does not accept',
    fr: 'contient des caractères que Chorus Pro n’accepte pas',
  },
  'web.validation.choose': { en: 'choose a value from the list', fr: 'choisissez une valeur de la liste' },
  'web.validation.oneOfGroup': {
    en: 'Fill at least one of these fields.',
    fr: 'Renseignez au moins un de ces champs.',
  },
  'web.validation.empty': {
    en: 'The answer is empty: fill at least one field.',
    fr: 'La réponse est vide : renseignez au moins un champ.',
  },
  'web.validation.refusedAgain': {
    en: 'This value was refused: give another one.',
    fr: 'Cette valeur a été refusée : indiquez-en une autre.',
  },
  'web.validation.refusedByService': {
    en: 'value refused by the service: check it',
    fr: 'valeur refusée par le service : vérifiez-la',
  },

  'web.decision.approve': { en: 'Send', fr: 'Envoyer' },
  'web.decision.refuse': { en: 'Refuse', fr: 'Refuser' },
  'web.decision.confirmRefusal': { en: 'Confirm the refusal', fr: 'Confirmer le refus' },
  'web.decision.refusalReason': { en: 'Reason for the refusal', fr: 'Motif du refus' },
  'web.decision.refusalHint': {
    en: 'The invoice is then cancelled and never sent to Chorus Pro; the reason is kept in its journal.',
    fr: 'La facture est alors annulée et ne part pas vers Chorus Pro ; le motif est gardé dans son journal.',
  },
  'web.decision.sameInvoice': { en: 'Yes, it is the same invoice', fr: 'Oui, c’est la même facture' },
  'web.decision.otherInvoice': { en: 'No, it is another invoice', fr: 'Non, c’est une autre facture' },
  'web.decision.confirmOther': { en: 'Confirm: another invoice', fr: 'Confirmer : une autre facture' },
  'web.decision.otherComment': { en: 'Comment (optional)', fr: 'Commentaire (facultatif)' },
  'web.decision.otherHint': {
    en: 'This invoice then stops: a new invoice number is needed.',
    fr: 'Cette facture s’arrête alors : il faudra un nouveau numéro de facture.',
  },
  'web.decision.validatorCorrected': {
    en: 'Validator corrected in Chorus Pro',
    fr: 'Valideur corrigé dans Chorus Pro',
  },
  'web.decision.stopTracking': { en: 'Stop following', fr: 'Arrêter le suivi' },
  'web.decision.confirmStopTracking': { en: 'Confirm: stop following', fr: 'Confirmer l’arrêt du suivi' },
  'web.decision.stopTrackingHint': {
    en: 'The invoice is no longer followed; it stays in Chorus Pro as it is.',
    fr: 'La facture n’est plus suivie ; elle reste dans Chorus Pro en l’état.',
  },
  'web.decision.keepTrying': { en: 'Keep trying', fr: 'Continuer d’essayer' },
  'web.decision.stopSending': { en: 'Stop sending', fr: 'Arrêter l’envoi' },
  'web.decision.confirmStop': { en: 'Confirm: stop sending', fr: 'Confirmer l’arrêt de l’envoi' },
  'web.decision.stopHint': {
    en: 'The invoice then fails; nothing was deposited, it can be sent again later under the same number.',
    fr: 'La facture passe alors en échec ; rien n’a été déposé, elle pourra être renvoyée plus tard sous le même numéro.',
  },
  'web.decision.reasonMissing': { en: 'Give the reason.', fr: 'Indiquez le motif.' },
  'web.decision.back': { en: 'Go back', fr: 'Revenir' },

  'web.approval.summary': { en: 'What will be sent', fr: 'Ce qui sera envoyé' },
  'web.approval.buyer': { en: 'Buyer', fr: 'Acheteur' },
  'web.approval.service': { en: 'Service', fr: 'Service' },
  'web.approval.engagement': { en: 'Engagement', fr: 'Engagement juridique' },
  'web.approval.invoice': { en: 'Invoice', fr: 'Facture' },
  'web.approval.invoiceOf': { en: '{number} of {date}', fr: '{number} du {date}' },
  'web.approval.billingFrame': { en: 'Billing frame', fr: 'Cadre de facturation' },
  'web.approval.vatRegime': { en: 'VAT regime', fr: 'Régime de TVA' },
  'web.approval.paymentMode': { en: 'Payment mode', fr: 'Mode de paiement' },
  'web.approval.none': { en: 'none', fr: 'aucun' },
  'web.approval.lines': { en: 'Lines', fr: 'Lignes' },
  'web.approval.line.description': { en: 'Description', fr: 'Désignation' },
  'web.approval.line.quantity': { en: 'Quantity', fr: 'Quantité' },
  'web.approval.line.unitPrice': { en: 'Unit price excl. VAT', fr: 'Prix unitaire HT' },
  'web.approval.line.vatRate': { en: 'VAT rate', fr: 'Taux de TVA' },
  'web.approval.totalExclVat': { en: 'Total excl. VAT', fr: 'Total HT' },
  'web.approval.totalVat': { en: 'VAT', fr: 'TVA' },
  'web.approval.totalInclVat': { en: 'Total incl. VAT', fr: 'Total TTC' },
  'web.approval.amountDue': { en: 'Amount due', fr: 'Net à payer' },
  'web.approval.attachments': { en: 'Attachments', fr: 'Pièces jointes' },
  'web.approval.attachment': { en: '{file} ({type})', fr: '{file} ({type})' },
  'web.approval.payload': {
    en: 'The exact data sent to Chorus Pro',
    fr: 'Les données exactes envoyées à Chorus Pro',
  },

  'web.cancel.open': { en: 'Cancel the invoice', fr: 'Annuler la facture' },
  'web.cancel.title': { en: 'Cancel the invoice', fr: 'Annulation de la facture' },
  'web.cancel.reason': { en: 'Reason for the cancellation', fr: 'Motif de l’annulation' },
  'web.cancel.hint': {
    en: 'Possible until the invoice is sent to Chorus Pro; the reason is kept in its journal.',
    fr: 'Possible tant que la facture n’est pas envoyée à Chorus Pro ; le motif est gardé dans son journal.',
  },
  'web.cancel.confirm': { en: 'Confirm the cancellation', fr: 'Confirmer l’annulation' },
  'web.cancel.reasonMissing': { en: 'Give the reason.', fr: 'Indiquez le motif.' },
  'web.cancel.tooLate': {
    en: 'Too late: the invoice was already sent to Chorus Pro.',
    fr: 'Trop tard : la facture a déjà été envoyée à Chorus Pro.',
  },
  'web.cancel.failed': {
    en: 'The cancellation could not be recorded: try again.',
    fr: 'L’annulation n’a pas pu être enregistrée : réessayez.',
  },
  'web.cancel.done': { en: 'Cancellation recorded.', fr: 'Annulation enregistrée.' },

  'web.journal.title': { en: 'Audit journal', fr: 'Journal d’audit' },
  'web.journal.filter': { en: 'Kind of event', fr: 'Type d’événement' },
  'web.journal.allKinds': { en: 'All events', fr: 'Tous les événements' },
  'web.journal.export': { en: 'Export as CSV', fr: 'Exporter en CSV' },
  'web.journal.column.date': { en: 'Date', fr: 'Date' },
  'web.journal.column.kind': { en: 'Kind', fr: 'Type' },
  'web.journal.column.event': { en: 'Event', fr: 'Événement' },
  'web.journal.empty': { en: 'No event of this kind.', fr: 'Aucun événement de ce type.' },
  'web.journal.technical': {
    en: 'Technical events ({count}): timers, runs, retries',
    fr: 'Événements techniques ({count}) : minuteurs, exécutions, relances d’appels',
  },
  'web.journal.source.workflow': { en: 'recorded by the workflow', fr: 'enregistré par le workflow' },
  'web.journal.source.temporal': { en: 'Temporal history', fr: 'historique Temporal' },
  'web.journal.csv.at': { en: 'timestamp (UTC)', fr: 'horodatage (UTC)' },
  'web.journal.csv.date': { en: 'date', fr: 'date' },
  'web.journal.csv.source': { en: 'source', fr: 'source' },
  'web.journal.csv.kind': { en: 'kind', fr: 'type' },
  'web.journal.csv.kindLabel': { en: 'kind (label)', fr: 'type (libellé)' },
  'web.journal.csv.event': { en: 'event', fr: 'événement' },
  'web.journal.csv.runId': { en: 'run', fr: 'exécution' },
  'web.journal.csv.eventId': { en: 'Temporal event no.', fr: 'n° d’événement Temporal' },

  'web.connections.title': { en: 'Chorus Pro connections', fr: 'Connexions Chorus Pro' },
  'web.connections.empty': { en: 'No connection.', fr: 'Aucune connexion.' },
  'web.connections.environment': {
    en: '{environment:environment} environment',
    fr: 'environnement {environment:environment}',
  },
  'web.connections.meta': {
    en: '{environment} · supplier {supplier} · verified {verified}',
    fr: '{environment} · fournisseur {supplier} · vérifiée le {verified}',
  },
  'web.connections.daysLeft': {
    en: '({days} day(s) left on Chorus Pro’s clock, which read {at})',
    fr: '(encore {days} jour(s) selon l’horloge de Chorus Pro, qui indiquait le {at})',
  },
  'web.connections.passwordUntil': {
    en: '· password valid until {on}',
    fr: '· mot de passe valable jusqu’au {on}',
  },
  'web.connections.identifiers': {
    en: 'PISTE client {clientId} · technical account {login}',
    fr: 'Client PISTE {clientId} · compte technique {login}',
  },
  'web.connections.checkFamily': {
    en: 'Access to the {family:apiFamily} API',
    fr: 'Accès à l’API {family:apiFamily}',
  },
  'web.connections.remedy': { en: 'To do: {remedy}', fr: 'À faire : {remedy}' },
  'web.connections.verify': { en: 'Verify now', fr: 'Vérifier maintenant' },
  'web.connections.verifying': {
    en: 'Verifying: PISTE, the technical account, each API family…',
    fr: 'Vérification en cours : PISTE, compte technique, chaque famille d’API…',
  },
  'web.connections.verifyingSlowly': {
    en: 'Verification under way: Chorus Pro is slow to answer; the result will show here.',
    fr: 'Vérification en cours : Chorus Pro tarde à répondre ; le résultat s’affichera ici.',
  },
  'web.connections.waiting': {
    en: '{count} invoice(s) wait for this connection to work again.',
    fr: '{count} facture(s) attendent que cette connexion fonctionne à nouveau.',
  },
  'web.connections.lastTrouble': {
    en: 'Last credentials failure reported on {at} by {by}.',
    fr: 'Dernier échec d’identifiants signalé le {at} par {by}.',
  },
  'web.connections.verified': {
    en: 'Verification done: the connection is {status}.',
    fr: 'Vérification terminée : la connexion est {status}.',
  },
  'web.connections.verifiedFailed': {
    en: 'Verification done: the connection is {status} ({count} check(s) failed).',
    fr: 'Vérification terminée : la connexion est {status} ({count} vérification(s) en échec).',
  },

  'web.credentials.open': { en: 'Replace the credentials', fr: 'Remplacer les identifiants' },
  'web.credentials.hint': {
    en: 'Give one pair or both; the other stays as it is. Secrets are sealed by the service and never shown again.',
    fr: 'Donnez une paire ou les deux ; l’autre reste inchangée. Les secrets sont scellés par le service et ne sont plus jamais affichés.',
  },
  'web.credentials.piste': { en: 'PISTE application', fr: 'Application PISTE' },
  'web.credentials.clientId': { en: 'Client id', fr: 'Identifiant client (client_id)' },
  'web.credentials.clientSecret': { en: 'Client secret', fr: 'Secret client' },
  'web.credentials.account': { en: 'Chorus Pro technical account', fr: 'Compte technique Chorus Pro' },
  'web.credentials.login': { en: 'Login', fr: 'Login (TECH_…@cpro.fr)' },
  'web.credentials.password': { en: 'Password', fr: 'Mot de passe' },
  'web.credentials.submit': { en: 'Replace and verify', fr: 'Remplacer et vérifier' },
  'web.credentials.pairIncomplete': {
    en: '{pair}: give both values.',
    fr: '{pair} : donnez les deux valeurs.',
  },
  'web.credentials.nothing': {
    en: 'Nothing to replace: fill a pair.',
    fr: 'Rien à remplacer : renseignez une paire.',
  },
  'web.credentials.replaced': {
    en: 'Credentials replaced: the connection is being verified again.',
    fr: 'Identifiants remplacés : la connexion est en cours de vérification.',
  },
  'web.credentials.refused': {
    en: 'The service refused these values: check their length.',
    fr: 'Le service a refusé ces valeurs : vérifiez leur longueur.',
  },
  'web.credentials.failed': {
    en: 'The credentials could not be replaced: try again.',
    fr: 'Les identifiants n’ont pas pu être remplacés : réessayez.',
  },
} as const;
