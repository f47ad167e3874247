/** A connection's checks and their remedies, naming the PISTE and Chorus Pro screens to go to. */
export const CONNECTION_MESSAGES = {
  'connection.remedy.pisteOauth': {
    en: 'PISTE refuses the client id or secret (invalid_client). In PISTE, "My applications" → your application → "Authentication / OAuth credentials" tab: copy the client_id and the client secret again ("view client secret"), and check they belong to the intended environment (sandbox or production).',
    fr: "PISTE refuse l'identifiant ou le secret client (invalid_client). Dans PISTE, « Mes applications » → votre application → onglet « Authentification / OAuth credentials » : recopiez le client_id et le client secret (« view client secret »), et vérifiez que ce sont ceux de l'environnement visé (bac à sable ou production).",
  },
  'connection.remedy.technicalAccount': {
    en: 'Chorus Pro refuses the technical account (login or password incorrects). In Chorus Pro, "Raccordements EDI et API" → "Compte technique": check the TECH_…@cpro.fr login and the password; an expired password must be renewed; a technical account created minutes ago only becomes active after about 30 minutes.',
    fr: "Chorus Pro refuse le compte technique (login or password incorrects). Dans Chorus Pro, « Raccordements EDI et API » → « Compte technique » : vérifiez le login TECH_…@cpro.fr et le mot de passe ; un mot de passe expiré doit être renouvelé ; un compte technique tout juste créé n'est actif qu'au bout d'environ 30 minutes.",
  },
  'connection.remedy.supplierAttachment': {
    en: 'The technical account is not attached to the supplier structure. In Chorus Pro, as the structure\'s main manager, "Raccordements EDI et API" → "Gérer raccordement API" → "Déclarer un raccordement PISTE" for this structure, then create the technical account on it; also check the supplier SIRET entered here.',
    fr: "Le compte technique n'est pas rattaché à la structure du fournisseur. Dans Chorus Pro, en gestionnaire principal de la structure, « Raccordements EDI et API » → « Gérer raccordement API » → « Déclarer un raccordement PISTE » pour cette structure, puis créez le compte technique sur cette structure ; vérifiez aussi le SIRET du fournisseur saisi ici.",
  },
  'connection.remedy.passwordExpiry': {
    en: 'Renew the technical account password in Chorus Pro ("Raccordements EDI et API" → "Compte technique"), then update the connection here.',
    fr: 'Renouvelez le mot de passe du compte technique dans Chorus Pro (« Raccordements EDI et API » → « Compte technique »), puis mettez à jour la connexion ici.',
  },
  'connection.remedy.family': {
    en: 'The PISTE application may not call the "{family}" API (403). In PISTE, "API" tab: accept the terms of use of the "{family}" API for the {environment} environment ("Consentement CGU API"), then "My applications" → edit the application → select the API → "Valider mes choix CGU" → save.',
    fr: "L'application PISTE n'a pas accès à l'API « {family} » (403). Dans PISTE, onglet « API » : acceptez les CGU de l'API « {family} » pour l'environnement {environment:environment} (« Consentement CGU API »), puis « Mes applications » → modifier l'application → sélectionnez l'API → « Valider mes choix CGU » → enregistrer.",
  },
  'connection.check.pisteOauth.failed': {
    en: 'PISTE refused the client id {clientId} or its secret (HTTP 400 invalid_client).',
    fr: 'PISTE a refusé l’identifiant client {clientId} ou son secret (HTTP 400 invalid_client).',
  },
  'connection.check.pisteOauth.ok': {
    en: 'PISTE issued a token to client {clientId}.',
    fr: 'PISTE a délivré un jeton au client {clientId}.',
  },
  'connection.check.skipped.oauth': {
    en: 'Not checked: PISTE refused the client credentials.',
    fr: 'Non vérifié : PISTE a refusé les identifiants client.',
  },
  'connection.check.technicalAccount.failed': {
    en: 'Chorus Pro refused the technical account {login} (login or password incorrect, expired, or not active yet).',
    fr: 'Chorus Pro a refusé le compte technique {login} (login ou mot de passe incorrect, expiré, ou pas encore actif).',
  },
  'connection.check.technicalAccount.ok': {
    en: 'Chorus Pro accepts the technical account {login}.',
    fr: 'Chorus Pro accepte le compte technique {login}.',
  },
  'connection.check.skipped.noFamily': {
    en: 'Not checked: no API family answered.',
    fr: 'Non vérifié : aucune famille d’API n’a répondu.',
  },
  'connection.check.family.notSubscribed': {
    en: 'The PISTE application is not subscribed to the {family} API.',
    fr: 'L’application PISTE n’est pas abonnée à l’API {family}.',
  },
  'connection.check.family.notSubscribedOptional': {
    en: 'The PISTE application is not subscribed to the {family} API: invoices are still sent, but the checks that use it are skipped.',
    fr: 'L’application PISTE n’est pas abonnée à l’API {family} : les factures partent quand même, mais les vérifications qui l’utilisent sont sautées.',
  },
  'connection.check.family.reachableAccountRefused': {
    en: '{family} API reachable (the technical account was refused, see above).',
    fr: 'API {family} joignable (le compte technique a été refusé, voir plus haut).',
  },
  'connection.check.family.error': { en: '{family} API: {error}', fr: 'API {family} : {error}' },
  'connection.check.family.ok': { en: '{family} API subscribed.', fr: 'API {family} : abonnement actif.' },
  'connection.check.skipped.accountRefused': {
    en: 'Not checked: the technical account was refused.',
    fr: 'Non vérifié : le compte technique a été refusé.',
  },
  'connection.check.skipped.noTransverses': {
    en: 'Not checked: the Transverses API is not available.',
    fr: 'Non vérifié : l’API Transverses n’est pas disponible.',
  },
  'connection.check.supplierAttachment.failed': {
    en: 'The technical account may not invoice for supplier {siret}; it may for: {others}.',
    fr: 'Le compte technique ne peut pas facturer pour le fournisseur {siret} ; il le peut pour : {others}.',
  },
  'connection.check.supplierAttachment.ok': {
    en: 'Attached to supplier {siret} (idStructureCPP {id}).',
    fr: 'Rattaché au fournisseur {siret} (idStructureCPP {id}).',
  },
  'connection.check.skipped.noSupplier': {
    en: 'Not checked: the supplier structure is not reachable.',
    fr: 'Non vérifié : la structure du fournisseur n’est pas accessible.',
  },
  'connection.check.skipped.noStructures': {
    en: 'Not checked: the Structures API is not available.',
    fr: 'Non vérifié : l’API Structures n’est pas disponible.',
  },
  'connection.check.passwordExpiry.unknown': {
    en: 'Chorus Pro did not give the password expiry date.',
    fr: 'Chorus Pro n’a pas donné la date d’expiration du mot de passe.',
  },
  'connection.check.passwordExpiry.expired': {
    en: 'The technical account password expired on {on}.',
    fr: 'Le mot de passe du compte technique a expiré le {on:date}.',
  },
  'connection.check.passwordExpiry.soon': {
    en: 'The technical account password expires in {days} day(s), on {on}.',
    fr: 'Le mot de passe du compte technique expire dans {days} jour(s), le {on:date}.',
  },
  'connection.check.passwordExpiry.ok': {
    en: 'The technical account password is valid until {on} ({days} days).',
    fr: 'Le mot de passe du compte technique est valide jusqu’au {on:date} ({days} jours).',
  },
  'connection.health.verifying': {
    en: 'Connection {id} is being verified.',
    fr: 'La connexion {id} est en cours de vérification.',
  },
  'connection.health.failed': {
    en: 'Connection {id} is {status}: {details}',
    fr: 'La connexion {id} est {status:connectionStatus} : {details}',
  },
  'connection.health.unknown': {
    en: 'No connection "{id}" is configured.',
    fr: 'Aucune connexion « {id} » n’est configurée.',
  },
} as const;
