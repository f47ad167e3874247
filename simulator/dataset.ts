// Long by nature: the seeded data set, one declarative record per scenario (simulator/README.md lists them).
import { siretFrom } from './siret';

/**
 * The simulator's seeded test data set ("matelas de données").
 *
 * Every entry carries a stable scenario name so tools and tests find it through
 * `GET /__admin/dataset` instead of hard-coding SIRETs. The values themselves are
 * magic values, documented in simulator/README.md like a payment provider's test cards.
 */

/** PISTE API families, named by their path segment under `/cpro/`. */
export const API_FAMILIES = [
  'transverses',
  'structures',
  'utilisateurs',
  'engagementsJuridiques',
  'factures',
] as const;
export type ApiFamily = (typeof API_FAMILIES)[number];

/** Short lowercase name used in scenario names (`credentials.missing-engagements`). */
export const FAMILY_SLUGS: Record<ApiFamily, string> = {
  transverses: 'transverses',
  structures: 'structures',
  utilisateurs: 'utilisateurs',
  engagementsJuridiques: 'engagements',
  factures: 'factures',
};

/** The family name as PISTE shows it on the application's API tab. */
export const FAMILY_LABELS: Record<ApiFamily, string> = {
  transverses: 'Transverses',
  structures: 'Structures',
  utilisateurs: 'Utilisateurs',
  engagementsJuridiques: 'Engagements',
  factures: 'Factures',
};

export interface PisteClient {
  scenario: string;
  clientId: string;
  clientSecret: string;
  /** API families whose terms of use were accepted and attached to this application. */
  families: ApiFamily[];
  /** The application's PISTE quota is used up: every API call is refused (see gateway.ts). */
  quotaExhausted?: boolean;
}

export interface TechnicalAccount {
  scenario: string;
  login: string;
  password: string;
  /** False while the account is "not active yet" (about 30 minutes after creation on the real portal). */
  active: boolean;
  /**
   * When the password expires, on the simulated clock: `rolling` accounts keep the same distance
   * to the simulated now (a valid password renews itself, an expired one stays expired however far
   * the clock runs); a `fixed` one expires once. A past expiry makes every call answer 401.
   */
  passwordExpiry: PasswordExpiry;
  /** Disabled by someone in the portal: one 401, then 403 on every call (OCA issue #349). */
  disabled?: boolean;
  /** idStructureCPP of the structures this account may invoice as supplier. */
  supplierStructureIds: number[];
  /** `format.string-ids`: every number of every answer to this account is a string. */
  answerFormat?: { stringIds: boolean };
}

export type PasswordExpiry = { kind: 'rolling'; days: number } | { kind: 'fixed'; at: string };

/** The expiry in force at the simulated instant `now`. */
export function passwordExpiresAt(account: Pick<TechnicalAccount, 'passwordExpiry'>, now: Date): Date {
  const expiry = account.passwordExpiry;
  return expiry.kind === 'fixed' ? new Date(expiry.at) : new Date(now.getTime() + expiry.days * DAY * 1000);
}

/** A (PISTE application, technical account) pair, as a supplier would type them into our service. */
export interface CredentialSet {
  scenario: string;
  description: string;
  /** The clientId is always known to the simulator; the secret may be deliberately wrong. */
  piste: { clientId: string; clientSecret: string };
  technicalAccount: { login: string; password: string };
  /** The supplier structure the credentials are meant for. */
  supplierSiret: string;
  /** Which onboarding check is expected to fail, or null when all pass. */
  expectedFailure:
    null | 'piste-oauth' | 'technical-account' | 'api-family' | 'supplier-attachment' | 'password-expiry';
  /** For `api-family`: the family that is not subscribed. */
  missingFamily?: ApiFamily;
}

export interface ServiceRecord {
  idService: number;
  codeService: string;
  libelleService: string;
  estActif: boolean;
  /** Service-level "engagement number mandatory" (consulter/service parametres.numeroEngagement). */
  numeroEngagement: boolean;
  miseEnPaiement: boolean;
  /** ISO date-times of the service's validity (rechercher/services dateDbtService, dateFinService). */
  dateDebut: string;
  dateFin: string;
}

export interface EngagementRecord {
  idEngagementJuridique: number;
  numeroEngagementJuridique: string;
  etat: 'COMMANDE' | 'CLOTURE';
  /** idStructureCPP of the supplier receiving the engagement. */
  idStructureReceptrice: number;
  codeServiceExecutant?: string;
  montantTotalHt: string;
  /** ISO date-time. */
  dateCreation: string;
}

/** Head-office address (consulter adressePostaleDuSiege, consulter/service adressePostale). */
export interface PostalAddress {
  adresse: string;
  codePostal: string;
  ville: string;
  /** ISO 3166 alpha-2. */
  pays: string;
  telephone?: string;
}

/** One step of the buyer-side lifecycle, `afterSeconds` of simulated time after the previous step. */
export interface LifecycleStep {
  status: string;
  afterSeconds: number;
  comment?: string;
}

/**
 * What a buyer does with an invoice. `first` runs after each deposit; a script that ends on
 * A_RECYCLER or SUSPENDUE waits for `recycler` / `completer`, after which the script for that
 * action runs: `afterActions[n]` after the (n+1)-th action, the last one for every later action,
 * `first` again when there is none. `validation` plays before `first` for invoices under a
 * validator frame (A9 sub-contractor, A12 co-contractor); by default the validator validates.
 */
export interface BuyerBehaviour {
  first: LifecycleStep[];
  afterActions?: LifecycleStep[][];
  validation?: LifecycleStep[];
}

export interface StructureRecord {
  scenario: string;
  description: string;
  idStructureCPP: number;
  siret: string;
  designation: string;
  type: 'PRIVEE' | 'PUBLIQUE';
  statut: 'ACTIVE' | 'INACTIVE';
  adresse: PostalAddress;
  emailStructure: string;
  parametres: {
    codeServiceDoitEtreRenseigne: boolean;
    numeroEJDoitEtreRenseigne: boolean;
    gestionNumeroEJOuCodeService: boolean;
    statutMiseEnPaiementNestPasRemonte: boolean;
  };
  services: ServiceRecord[];
  /** Supplier structures only: bank accounts (recuperer/coordbanc/valides). */
  bankAccountIds?: number[];
  /** Buyer structures only. */
  behaviour?: BuyerBehaviour;
  /** Engagements issued by this buyer. */
  engagements: EngagementRecord[];
  /**
   * False for buyers whose purchase orders Chorus Pro does not know (local authorities): any
   * well-formed engagement number is accepted and `engagementsJuridiques/rechercher` finds none.
   */
  engagementsInChorus?: boolean;
  /** Date-times of this buyer's invoices: `short` (`YYYY-MM-DD HH:MM`) or `offset` (ISO 8601, ms, offset). */
  dateTimes?: 'short' | 'offset';
  /** Chorus Pro numbers this buyer's invoices itself, ignoring `numeroFactureSaisi`. */
  renumbersInvoices?: boolean;
  /** `soumettre` to this buyer always answers this 5xx and commits nothing. */
  soumettreAlwaysFails?: 500 | 503;
  /** Supplier structures only: `VIREMENT` needs `codeCoordonneesBancairesFournisseur`. */
  bankDetailsRequiredForTransfer?: boolean;
}

export interface Dataset {
  pisteClients: PisteClient[];
  technicalAccounts: TechnicalAccount[];
  credentials: CredentialSet[];
  structures: StructureRecord[];
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

/** The usual path of a supply invoice: routed in a minute, paid about a month later. */
const PAID_PATH: LifecycleStep[] = [
  { status: 'MISE_A_DISPOSITION', afterSeconds: MINUTE },
  { status: 'SERVICE_FAIT', afterSeconds: 3 * DAY },
  { status: 'MANDATEE', afterSeconds: 10 * DAY },
  { status: 'MISE_EN_PAIEMENT', afterSeconds: 15 * DAY },
];

/** One round of `buyer.long-history`: routed, acknowledged, certified, then sent back to recycle. */
const LONG_ROUND: LifecycleStep[] = [
  { status: 'EN_COURS_ACHEMINEMENT', afterSeconds: MINUTE },
  { status: 'MISE_A_DISPOSITION', afterSeconds: MINUTE },
  { status: 'PRISE_EN_COMPTE_DESTINATAIRE', afterSeconds: HOUR },
  { status: 'SERVICE_FAIT', afterSeconds: DAY },
  { status: 'A_RECYCLER', afterSeconds: HOUR, comment: 'Engagement à préciser : recycler la facture.' },
];

/** The last round of `buyer.long-history`: every optional status, then payment. */
const LONG_PAID_ROUND: LifecycleStep[] = [
  ...LONG_ROUND.slice(0, 4),
  { status: 'MANDATEE', afterSeconds: 5 * DAY },
  { status: 'MISE_A_DISPOSITION_COMPTABLE', afterSeconds: DAY },
  { status: 'COMPTABILISEE', afterSeconds: 2 * DAY },
  { status: 'MISE_EN_PAIEMENT', afterSeconds: 5 * DAY },
];

/** [codeService, libelleService] of the `buyer.many-services` structure. */
const METROPOLE_SERVICES: [string, string][] = [
  ['ACHATS', 'Direction des achats'],
  ['ARCHIVES', 'Archives metropolitaines'],
  ['ASSAINISSEMENT', 'Direction de l assainissement'],
  ['BATIMENTS', 'Direction des batiments'],
  ['CULTURE', 'Direction de la culture'],
  ['DECHETS', 'Collecte et traitement des dechets'],
  ['ECONOMIE', 'Developpement economique'],
  ['EAU', 'Direction de l eau'],
  ['ENERGIE', 'Transition energetique'],
  ['ESPACES-VERTS', 'Parcs et espaces verts'],
  ['FINANCES', 'Direction des finances'],
  ['HABITAT', 'Habitat et logement'],
  ['INFORMATIQUE', 'Systemes d information'],
  ['JURIDIQUE', 'Affaires juridiques'],
  ['MOBILITES', 'Mobilites et transports'],
  ['PATRIMOINE', 'Patrimoine immobilier'],
  ['PROPRETE', 'Proprete urbaine'],
  ['RH', 'Ressources humaines'],
  ['SPORTS', 'Direction des sports'],
  ['TOURISME', 'Office du tourisme'],
  ['URBANISME', 'Urbanisme et amenagement'],
  ['VOIRIE', 'Direction de la voirie'],
  ['ZONES-ACTIVITE', 'Zones d activite'],
];

const address = (adresse: string, codePostal: string, ville: string, telephone?: string): PostalAddress => ({
  adresse,
  codePostal,
  ville,
  pays: 'FR',
  ...(telephone ? { telephone } : {}),
});

const flags = (p: Partial<StructureRecord['parametres']> = {}): StructureRecord['parametres'] => ({
  codeServiceDoitEtreRenseigne: false,
  numeroEJDoitEtreRenseigne: false,
  gestionNumeroEJOuCodeService: false,
  statutMiseEnPaiementNestPasRemonte: false,
  ...p,
});

/** Builds the data set. Dates are relative to `now` (the simulator clock at start). */
export function buildDataset(now: Date): Dataset {
  const inDays = (days: number) => new Date(now.getTime() + days * DAY * 1000).toISOString();

  const SUPPLIER_ID = 25783752;
  const OTHER_SUPPLIER_ID = 25783753;
  const BANK_SUPPLIER_ID = 25783754;
  const CONTRACTOR_ID = 25783755;
  const supplierSiret = siretFrom('8765432100001');
  const otherSupplierSiret = siretFrom('8765432100002');
  const bankSupplierSiret = siretFrom('8765432100003');
  const contractorSiret = siretFrom('8765432100004');

  const SERVICES_OPENED_AT = '2015-01-05T00:00:00.000Z';
  const SERVICES_OPEN_UNTIL = '2050-12-31T00:00:00.000Z';
  let nextServiceId = 9100001;
  const service = (
    codeService: string,
    libelleService: string,
    opts: Partial<Pick<ServiceRecord, 'estActif' | 'numeroEngagement'>> = {},
  ): ServiceRecord => ({
    idService: nextServiceId++,
    codeService,
    libelleService,
    estActif: opts.estActif ?? true,
    numeroEngagement: opts.numeroEngagement ?? false,
    miseEnPaiement: true,
    dateDebut: SERVICES_OPENED_AT,
    // A closed service ended half a year ago; open ones run to the portal's usual far end date.
    dateFin: (opts.estActif ?? true) ? SERVICES_OPEN_UNTIL : inDays(-180),
  });

  const BUYER_ADDRESSES: Record<string, PostalAddress> = {
    'buyer.no-requirement': address('2 place de la Mairie', '35000', 'SAINT-EXEMPLE'),
    'buyer.requires-service': address('10 avenue de l Hopital', '69000', 'VALMONT'),
    'buyer.requires-engagement': address('1 rue de la Prefecture', '31000', 'VAL D EXEMPLE'),
    'buyer.service-or-engagement': address('5 boulevard des Universites', '33000', 'EXEMPLEVILLE'),
    'buyer.service-requires-engagement': address('8 cours du Departement', '44000', 'EXEMPLE'),
    'buyer.inactive-service': address('3 quai des Eaux', '67000', 'EXEMPLE-SUR-RHIN'),
    'buyer.public-invoices-service': address('1 esplanade de la Region', '59000', 'EXEMPLE'),
    'buyer.inactive-structure': address('4 rue de l Ancienne Mairie', '87000', 'EXEMPLE-LE-VIEUX'),
    'buyer.never-reports-payment': address('1 place du Silence', '48000', 'SILENCE'),
    'buyer.recycles': address('12 rue du Tri', '13000', 'EXEMPLE'),
    'buyer.suspends': address('6 rue de la Pause', '21000', 'EXEMPLE'),
    'buyer.rejects': address('9 rue du Refus', '29000', 'EXEMPLE'),
    'buyer.out-of-order': address('1 place Helios', '34000', 'HELIOS'),
    'buyer.many-services': address('100 rue des Services', '75015', 'PARIS'),
    'buyer.local-authority-engagement': address('2 place de la Commune', '26000', 'EXEMPLE-SUR-DROME'),
    'buyer.same-minute-recycle': address('7 rue de la Minute', '18000', 'EXEMPLE'),
    'format.offset-dates': address('11 rue des Horloges', '25000', 'EXEMPLE'),
    'buyer.long-history': address('21 rue de la Patience', '38000', 'EXEMPLE'),
    'buyer.renumbers': address('3 rue des Numeros', '51000', 'EXEMPLE'),
    'buyer.validator-refuses': address('5 place du Chantier', '57000', 'EXEMPLE'),
    'buyer.validator-error': address('6 place du Chantier', '57000', 'EXEMPLE'),
    'buyer.abandons': address('1 impasse de l Abandon', '62000', 'EXEMPLE'),
    'buyer.deletes': address('2 impasse de l Oubli', '62000', 'EXEMPLE'),
    'buyer.unavailable-on-submit': address('500 rue des Pannes', '80000', 'EXEMPLE'),
  };

  let nextBuyerId = 26300001;
  const buyer = (
    scenario: string,
    siret13: string,
    designation: string,
    description: string,
    rest: Partial<
      Omit<StructureRecord, 'scenario' | 'idStructureCPP' | 'siret' | 'designation' | 'description'>
    > = {},
  ): StructureRecord => ({
    scenario,
    description,
    idStructureCPP: nextBuyerId++,
    siret: siretFrom(siret13),
    designation,
    type: 'PUBLIQUE',
    statut: 'ACTIVE',
    adresse: BUYER_ADDRESSES[scenario] ?? address('1 place de la Mairie', '99999', 'EXEMPLEVILLE'),
    emailStructure: `facturation@${scenario.replace(/^buyer\./, '')}.exemple.gouv.fr`,
    parametres: flags(),
    services: [],
    engagements: [],
    behaviour: { first: PAID_PATH },
    ...rest,
  });

  let nextEngagementId = 7400001;
  const ej = (
    numero: string,
    codeServiceExecutant?: string,
    etat: EngagementRecord['etat'] = 'COMMANDE',
  ): EngagementRecord => ({
    idEngagementJuridique: nextEngagementId++,
    numeroEngagementJuridique: numero,
    etat,
    idStructureReceptrice: SUPPLIER_ID,
    codeServiceExecutant,
    montantTotalHt: '50000.00',
    dateCreation: inDays(-60),
  });

  const structures: StructureRecord[] = [
    {
      scenario: 'supplier.default',
      description: 'The supplier every valid credential set invoices as.',
      idStructureCPP: SUPPLIER_ID,
      siret: supplierSiret,
      designation: 'ATELIERS DUPONT SAS',
      type: 'PRIVEE',
      statut: 'ACTIVE',
      adresse: address('14 rue des Forges', '42000', 'SAINT-ETIENNE', '0477000001'),
      emailStructure: 'compta@ateliers-dupont.example',
      parametres: flags(),
      services: [service('FACTURATION', 'Service facturation')],
      bankAccountIds: [8316845],
      engagements: [],
    },
    {
      scenario: 'supplier.other',
      description: 'Another supplier; the "not attached" technical account belongs to it.',
      idStructureCPP: OTHER_SUPPLIER_ID,
      siret: otherSupplierSiret,
      designation: 'MARTIN ET FILS SARL',
      type: 'PRIVEE',
      statut: 'ACTIVE',
      adresse: address('3 impasse des Artisans', '63000', 'CLERMONT-FERRAND'),
      emailStructure: 'contact@martin-et-fils.example',
      parametres: flags(),
      services: [],
      bankAccountIds: [8316846],
      engagements: [],
    },
    {
      scenario: 'supplier.bank-details-required',
      description:
        'A supplier for which VIREMENT invoices must name one of its valid bank accounts (fournisseur.codeCoordonneesBancairesFournisseur).',
      idStructureCPP: BANK_SUPPLIER_ID,
      siret: bankSupplierSiret,
      designation: 'BANQUE ET VIREMENTS SAS',
      type: 'PRIVEE',
      statut: 'ACTIVE',
      adresse: address('8 rue du Virement', '69002', 'LYON'),
      emailStructure: 'compta@banque-virements.example',
      parametres: flags(),
      services: [],
      bankAccountIds: [8316847, 8316848],
      engagements: [],
      bankDetailsRequiredForTransfer: true,
    },
    {
      scenario: 'validator.main-contractor',
      description:
        'The main contractor of a public works contract: the codeStructureValideur (validator) of A9/A12 invoices.',
      idStructureCPP: CONTRACTOR_ID,
      siret: contractorSiret,
      designation: 'ENTREPRISE GENERALE DU BATIMENT',
      type: 'PRIVEE',
      statut: 'ACTIVE',
      adresse: address('1 avenue des Chantiers', '92000', 'NANTERRE'),
      emailStructure: 'marches@entreprise-generale.example',
      parametres: flags(),
      services: [],
      engagements: [],
    },
    buyer(
      'buyer.no-requirement',
      '1100000000001',
      'COMMUNE DE SAINT-EXEMPLE',
      'No service code, no engagement required; pays.',
      {
        services: [service('SERVICE-GENERAL', 'Services généraux')],
      },
    ),
    buyer(
      'buyer.requires-service',
      '1100000000002',
      'CENTRE HOSPITALIER DE VALMONT',
      'A service code is mandatory.',
      {
        parametres: flags({ codeServiceDoitEtreRenseigne: true }),
        services: [
          service('ACHATS', 'Direction des achats'),
          service('TECHNIQUE', 'Services techniques'),
          service('ANCIEN-SERVICE', 'Service fermé', { estActif: false }),
        ],
      },
    ),
    buyer(
      'buyer.requires-engagement',
      '1100000000003',
      'PREFECTURE DU VAL D EXEMPLE',
      'An engagement (EJ) number is mandatory.',
      {
        parametres: flags({ numeroEJDoitEtreRenseigne: true }),
        services: [service('COMPTABILITE', 'Comptabilité')],
        engagements: [ej('EJ-2026-000123'), ej('EJ-2026-000124'), ej('EJ-2025-000099', undefined, 'CLOTURE')],
      },
    ),
    buyer(
      'buyer.service-or-engagement',
      '1100000000004',
      'UNIVERSITE D EXEMPLEVILLE',
      'A service code or an engagement number (at least one).',
      {
        parametres: flags({ gestionNumeroEJOuCodeService: true }),
        services: [service('LABO-CHIMIE', 'Laboratoire de chimie'), service('BIBLIO', 'Bibliothèque')],
        engagements: [ej('EJ-UNIV-7781')],
      },
    ),
    buyer(
      'buyer.service-requires-engagement',
      '1100000000005',
      'DEPARTEMENT DE L EXEMPLE',
      'Service code mandatory; service TRAVAUX also requires an engagement.',
      {
        parametres: flags({ codeServiceDoitEtreRenseigne: true }),
        services: [
          service('TRAVAUX', 'Direction des travaux', { numeroEngagement: true }),
          service('CULTURE', 'Direction de la culture'),
        ],
        engagements: [ej('EJ-DEP-5500', 'TRAVAUX')],
      },
    ),
    buyer(
      'buyer.inactive-service',
      '1100000000006',
      'SYNDICAT DES EAUX D EXEMPLE',
      'Service code mandatory; service ASSAINISSEMENT is inactive.',
      {
        parametres: flags({ codeServiceDoitEtreRenseigne: true }),
        services: [
          service('ASSAINISSEMENT', 'Assainissement (fermé)', { estActif: false }),
          service('EAU-POTABLE', 'Eau potable'),
        ],
      },
    ),
    buyer(
      'buyer.public-invoices-service',
      '1100000000007',
      'REGION EXEMPLE',
      'Service code mandatory; offers the FACTURES_PUBLIQUES pseudo-service, reserved to public suppliers.',
      {
        parametres: flags({ codeServiceDoitEtreRenseigne: true }),
        services: [
          service('FACTURES_PUBLIQUES', 'Service des factures publiques'),
          service('LYCEES', 'Direction des lycées'),
        ],
      },
    ),
    buyer(
      'buyer.inactive-structure',
      '1100000000008',
      'ANCIENNE COMMUNAUTE DE COMMUNES',
      'The structure is INACTIVE: no invoice can be sent to it.',
      {
        statut: 'INACTIVE',
        services: [service('ACCUEIL', 'Accueil')],
      },
    ),
    buyer(
      'buyer.never-reports-payment',
      '1100000000009',
      'COMMUNE DE SILENCE',
      'statutMiseEnPaiementNestPasRemonte: the last status ever seen is MANDATEE.',
      {
        parametres: flags({ statutMiseEnPaiementNestPasRemonte: true }),
        services: [service('MAIRIE', 'Mairie')],
        behaviour: {
          first: [
            { status: 'MISE_A_DISPOSITION', afterSeconds: MINUTE },
            { status: 'MANDATEE', afterSeconds: 12 * DAY },
          ],
        },
      },
    ),
    buyer(
      'buyer.recycles',
      '1100000000010',
      'ETABLISSEMENT RECYCLEUR',
      'Puts every new invoice in A_RECYCLER (wrong routing data); pays after recycler.',
      {
        services: [service('ACHATS', 'Achats'), service('LOGISTIQUE', 'Logistique')],
        behaviour: {
          first: [
            { status: 'MISE_A_DISPOSITION', afterSeconds: MINUTE },
            {
              status: 'A_RECYCLER',
              afterSeconds: 2 * HOUR,
              comment: 'Code service erroné : merci de recycler vers LOGISTIQUE.',
            },
          ],
          afterActions: [PAID_PATH],
        },
      },
    ),
    buyer(
      'buyer.suspends',
      '1100000000011',
      'ETABLISSEMENT SUSPENSIF',
      'Suspends every new invoice (missing supporting document); pays after completer.',
      {
        services: [service('ACHATS', 'Achats')],
        behaviour: {
          first: [
            { status: 'MISE_A_DISPOSITION', afterSeconds: MINUTE },
            {
              status: 'SUSPENDUE',
              afterSeconds: 2 * HOUR,
              comment: 'Pièce justificative manquante : bon de livraison.',
            },
          ],
          afterActions: [[{ status: 'COMPLETEE', afterSeconds: 0 }, ...PAID_PATH.slice(1)]],
        },
      },
    ),
    buyer(
      'buyer.rejects',
      '1100000000012',
      'ETABLISSEMENT REJETANT',
      'Rejects every invoice (REJETEE): a new invoice number is needed.',
      {
        services: [service('ACHATS', 'Achats')],
        behaviour: {
          first: [
            { status: 'MISE_A_DISPOSITION', afterSeconds: MINUTE },
            {
              status: 'REJETEE',
              afterSeconds: 4 * HOUR,
              comment: 'Montants erronés : émettre une nouvelle facture.',
            },
          ],
        },
      },
    ),
    buyer(
      'buyer.out-of-order',
      '1100000000013',
      'COMMUNE HELIOS',
      'Helios-style: MANDATEE arrives after MISE_EN_PAIEMENT.',
      {
        services: [service('FINANCES', 'Finances')],
        behaviour: {
          first: [
            { status: 'MISE_A_DISPOSITION', afterSeconds: MINUTE },
            { status: 'MISE_A_DISPOSITION_COMPTABLE', afterSeconds: 5 * DAY },
            { status: 'MISE_EN_PAIEMENT', afterSeconds: 10 * DAY },
            { status: 'MANDATEE', afterSeconds: 1 * DAY },
          ],
        },
      },
    ),
    buyer(
      'buyer.many-services',
      '1100000000014',
      'METROPOLE D EXEMPLE',
      'Service code mandatory; 23 services (3 closed) over 3 pages of 10: exercises services paging.',
      {
        parametres: flags({ codeServiceDoitEtreRenseigne: true }),
        services: METROPOLE_SERVICES.map(([code, label], i) =>
          // Services 3, 13 and 23 are closed: one inactive service on each page of 10.
          service(code, label, { estActif: i % 10 !== 2 }),
        ),
      },
    ),
    buyer(
      'buyer.local-authority-engagement',
      '1100000000015',
      'COMMUNE DE PETITE-EXEMPLE',
      'A local authority: an engagement number is mandatory, any well-formed one is accepted, and engagementsJuridiques/rechercher finds none (its purchase orders are not in Chorus Pro).',
      {
        parametres: flags({ numeroEJDoitEtreRenseigne: true }),
        services: [service('MAIRIE', 'Mairie')],
        engagementsInChorus: false,
      },
    ),
    buyer(
      'buyer.same-minute-recycle',
      '1100000000016',
      'SERVICE PRESSE',
      'MISE_A_DISPOSITION then A_RECYCLER in the same minute (same date-time, told apart only by histoStatutId); pays after recycler.',
      {
        services: [service('ACHATS', 'Achats')],
        behaviour: {
          first: [
            { status: 'MISE_A_DISPOSITION', afterSeconds: MINUTE },
            { status: 'A_RECYCLER', afterSeconds: 0, comment: 'Mauvais service : recycler vers ACHATS.' },
          ],
          afterActions: [PAID_PATH],
        },
      },
    ),
    buyer(
      'format.offset-dates',
      '1100000000017',
      'OBSERVATOIRE DES HORLOGES',
      'Every date-time of its invoices is ISO 8601 with milliseconds and offset (2019-07-11T15:45:39.674+02:00), in history, searches, consult and the recycle/complete answers; pays.',
      { services: [service('ACHATS', 'Achats')], dateTimes: 'offset' },
    ),
    buyer(
      'buyer.long-history',
      '1100000000018',
      'ADMINISTRATION PATIENTE',
      'Recycles every invoice twice, then pays: 21 statuses in the history (three pages of 10).',
      {
        services: [service('ACHATS', 'Achats')],
        behaviour: { first: LONG_ROUND, afterActions: [LONG_ROUND, LONG_PAID_ROUND] },
      },
    ),
    buyer(
      'buyer.renumbers',
      '1100000000019',
      'AGENCE QUI NUMEROTE',
      "Chorus Pro ignores the supplier's numeroFactureSaisi and gives the invoice its own 20-digit numeroFacture (soumettre answer, searches, consult, history); pays.",
      { services: [service('ACHATS', 'Achats')], renumbersInvoices: true },
    ),
    buyer(
      'buyer.validator-refuses',
      '1100000000020',
      'MAITRISE D OUVRAGE REFUS',
      'For A9/A12 invoices (sub- and co-contractors) the validator refuses: A_VALIDER_1 then REFUSEE_1, an end.',
      {
        services: [service('TRAVAUX', 'Travaux')],
        behaviour: {
          first: PAID_PATH,
          validation: [
            { status: 'A_VALIDER_1', afterSeconds: MINUTE },
            {
              status: 'REFUSEE_1',
              afterSeconds: 2 * DAY,
              comment: 'Le titulaire refuse la facture : montant non conforme au contrat.',
            },
          ],
        },
      },
    ),
    buyer(
      'buyer.validator-error',
      '1100000000021',
      'MAITRISE D OUVRAGE ERREUR',
      'For A9/A12 invoices the validator designated is not the right one: A_VALIDER_1 then ERREUR_FOURNISSEUR_SUR_VALIDEUR (the supplier must correct the validator).',
      {
        services: [service('TRAVAUX', 'Travaux')],
        behaviour: {
          first: PAID_PATH,
          validation: [
            { status: 'A_VALIDER_1', afterSeconds: MINUTE },
            {
              status: 'ERREUR_FOURNISSEUR_SUR_VALIDEUR',
              afterSeconds: 1 * DAY,
              comment: "La structure valideuse désignée n'est pas le titulaire du marché.",
            },
          ],
        },
      },
    ),
    buyer(
      'buyer.abandons',
      '1100000000022',
      'ETABLISSEMENT QUI ABANDONNE',
      'The invoice ends ABANDONNEE (an end state) after MISE_A_DISPOSITION.',
      {
        services: [service('ACHATS', 'Achats')],
        behaviour: {
          first: [
            { status: 'MISE_A_DISPOSITION', afterSeconds: MINUTE },
            { status: 'ABANDONNEE', afterSeconds: 3 * DAY, comment: 'Demande de paiement abandonnée.' },
          ],
        },
      },
    ),
    buyer(
      'buyer.deletes',
      '1100000000023',
      'ETABLISSEMENT QUI SUPPRIME',
      'The invoice ends SUPPRIMEE (an end state) right after its deposit.',
      {
        services: [service('ACHATS', 'Achats')],
        behaviour: {
          first: [
            { status: 'SUPPRIMEE', afterSeconds: 2 * MINUTE, comment: 'Demande de paiement supprimée.' },
          ],
        },
      },
    ),
    buyer(
      'buyer.unavailable-on-submit',
      '1100000000024',
      'ETABLISSEMENT INJOIGNABLE',
      'soumettre to this buyer always answers HTTP 503 and commits nothing: a repeatable 5xx.',
      { services: [service('ACHATS', 'Achats')], soumettreAlwaysFails: 503 },
    ),
  ];

  const ALL: ApiFamily[] = [...API_FAMILIES];
  const pisteClients: PisteClient[] = [
    {
      scenario: 'piste.complete',
      clientId: 'piste-client-complete',
      clientSecret: 'secret-complete-0001',
      families: ALL,
    },
    ...API_FAMILIES.map((missing) => ({
      scenario: `piste.without-${FAMILY_SLUGS[missing]}`,
      clientId: `piste-client-without-${FAMILY_SLUGS[missing]}`,
      clientSecret: `secret-without-${FAMILY_SLUGS[missing]}-0001`,
      families: ALL.filter((f) => f !== missing),
    })),
    {
      scenario: 'piste.three-families',
      clientId: 'piste-client-three-families',
      clientSecret: 'secret-three-families-0001',
      families: ['factures', 'structures', 'transverses'],
    },
    {
      scenario: 'piste.quota-exhausted',
      clientId: 'piste-client-quota-exhausted',
      clientSecret: 'secret-quota-exhausted-0001',
      families: ALL,
      quotaExhausted: true,
    },
  ];

  const account = (
    scenario: string,
    login: string,
    password: string,
    rest: Partial<TechnicalAccount> = {},
  ): TechnicalAccount => ({
    scenario,
    login,
    password,
    active: true,
    passwordExpiry: { kind: 'rolling', days: 400 },
    supplierStructureIds: [SUPPLIER_ID],
    ...rest,
  });
  const technicalAccounts: TechnicalAccount[] = [
    account('account.valid', `TECH_1_${supplierSiret}@cpro.fr`, 'Tech-Password-Valid-1'),
    account('account.expiring-soon', `TECH_2_${supplierSiret}@cpro.fr`, 'Tech-Password-Soon-2', {
      passwordExpiry: { kind: 'rolling', days: 10 },
    }),
    account('account.expired', `TECH_3_${supplierSiret}@cpro.fr`, 'Tech-Password-Expired-3', {
      passwordExpiry: { kind: 'rolling', days: -2 },
    }),
    account('account.not-yet-active', `TECH_4_${supplierSiret}@cpro.fr`, 'Tech-Password-Inactive-4', {
      active: false,
    }),
    account('account.other-supplier', `TECH_1_${otherSupplierSiret}@cpro.fr`, 'Tech-Password-Other-1', {
      supplierStructureIds: [OTHER_SUPPLIER_ID],
    }),
    account('account.string-ids', `TECH_5_${supplierSiret}@cpro.fr`, 'Tech-Password-Strings-5', {
      answerFormat: { stringIds: true },
    }),
    account('account.disabled', `TECH_6_${supplierSiret}@cpro.fr`, 'Tech-Password-Disabled-6', {
      disabled: true,
    }),
    account('account.expires-on-a-date', `TECH_7_${supplierSiret}@cpro.fr`, 'Tech-Password-Dated-7', {
      passwordExpiry: { kind: 'fixed', at: inDays(20) },
    }),
    account('account.bank-details-required', `TECH_1_${bankSupplierSiret}@cpro.fr`, 'Tech-Password-Bank-1', {
      supplierStructureIds: [BANK_SUPPLIER_ID],
    }),
  ];
  const accountOf = (scenario: string) => {
    const found = technicalAccounts.find((a) => a.scenario === scenario)!;
    return { login: found.login, password: found.password };
  };
  const pisteOf = (scenario: string) => {
    const found = pisteClients.find((c) => c.scenario === scenario)!;
    return { clientId: found.clientId, clientSecret: found.clientSecret };
  };

  const complete = pisteClients[0];
  const valid = technicalAccounts[0];
  const cred = (
    scenario: string,
    description: string,
    expectedFailure: CredentialSet['expectedFailure'],
    piste: CredentialSet['piste'],
    tech: { login: string; password: string },
    extra: Partial<CredentialSet> = {},
  ): CredentialSet => ({
    scenario,
    description,
    piste,
    technicalAccount: tech,
    supplierSiret,
    expectedFailure,
    ...extra,
  });
  const completePiste = { clientId: complete.clientId, clientSecret: complete.clientSecret };
  const validTech = { login: valid.login, password: valid.password };

  const credentials: CredentialSet[] = [
    cred(
      'credentials.valid',
      'Everything works: all five API families, attached; the password renews itself (always 400 days ahead of the simulated now).',
      null,
      completePiste,
      validTech,
    ),
    cred(
      'credentials.bad-secret',
      'Wrong PISTE client secret: the token endpoint answers 400 invalid_client.',
      'piste-oauth',
      { clientId: complete.clientId, clientSecret: 'not-the-right-secret' },
      validTech,
    ),
    cred(
      'credentials.bad-password',
      'Wrong technical account password: 401 "login or password incorrects".',
      'technical-account',
      completePiste,
      {
        login: valid.login,
        password: 'Wrong-Password-0',
      },
    ),
    ...API_FAMILIES.map((family) => {
      const client = pisteClients.find((c) => c.clientId === `piste-client-without-${FAMILY_SLUGS[family]}`)!;
      return cred(
        `credentials.missing-${FAMILY_SLUGS[family]}`,
        `The PISTE application is not subscribed to the ${FAMILY_LABELS[family]} API: 403 on its routes only.`,
        'api-family',
        { clientId: client.clientId, clientSecret: client.clientSecret },
        validTech,
        { missingFamily: family },
      );
    }),
    cred(
      'credentials.not-attached',
      'The technical account belongs to another structure: calls work but the supplier is not listed.',
      'supplier-attachment',
      completePiste,
      { login: technicalAccounts[4].login, password: technicalAccounts[4].password },
    ),
    cred(
      'credentials.expiring-soon',
      'Technical password expires in 10 days, however far the simulated clock runs: a warning.',
      'password-expiry',
      completePiste,
      {
        login: technicalAccounts[1].login,
        password: technicalAccounts[1].password,
      },
    ),
    cred(
      'credentials.expired',
      'Technical password expired 2 days ago, however far the simulated clock runs: every call answers 401.',
      'technical-account',
      completePiste,
      {
        login: technicalAccounts[2].login,
        password: technicalAccounts[2].password,
      },
    ),
    cred(
      'credentials.not-yet-active',
      'Technical account created minutes ago, not active yet: 401.',
      'technical-account',
      completePiste,
      {
        login: technicalAccounts[3].login,
        password: technicalAccounts[3].password,
      },
    ),
    cred(
      'credentials.expires-on-a-date',
      'Technical password expires 20 simulated days after the start and is never renewed: valid, then expiring soon, then expired as the clock runs.',
      null,
      completePiste,
      accountOf('account.expires-on-a-date'),
    ),
    cred(
      'format.string-ids',
      'Everything works, but every answer to this technical account writes numbers, ids, amounts, codeRetour and booleans as strings, amounts as Java writes them (1.5E+2), and a one-item list as a bare object.',
      null,
      completePiste,
      accountOf('account.string-ids'),
    ),
    cred(
      'credentials.three-families',
      'The PISTE application is subscribed to Factures, Structures and Transverses only (what sending needs): 403 on Utilisateurs and Engagements.',
      'api-family',
      pisteOf('piste.three-families'),
      validTech,
      { missingFamily: 'utilisateurs' },
    ),
    cred(
      'credentials.disabled-user',
      'The technical user was disabled in the portal: one 401, then 403 on every call, with a body that says so.',
      'technical-account',
      completePiste,
      accountOf('account.disabled'),
    ),
    cred(
      'credentials.quota-exhausted',
      'The PISTE application used up its quota: every API call answers 403 with a quota body and headers (the token endpoint still answers).',
      'api-family',
      pisteOf('piste.quota-exhausted'),
      validTech,
    ),
    cred(
      'credentials.bank-details-required',
      'Credentials of supplier.bank-details-required: VIREMENT invoices need one of its bank accounts.',
      null,
      completePiste,
      accountOf('account.bank-details-required'),
      { supplierSiret: bankSupplierSiret },
    ),
  ];

  return { pisteClients, technicalAccounts, credentials, structures };
}

/** Finds a structure by its scenario name; throws with the list of names when unknown. */
export function structureByScenario(dataset: Dataset, scenario: string): StructureRecord {
  const found = dataset.structures.find((s) => s.scenario === scenario);
  if (!found) {
    throw new Error(
      `No structure scenario "${scenario}"; known: ${dataset.structures.map((s) => s.scenario).join(', ')}`,
    );
  }
  return found;
}

export function credentialsByScenario(dataset: Dataset, scenario: string): CredentialSet {
  const found = dataset.credentials.find((c) => c.scenario === scenario);
  if (!found) {
    throw new Error(
      `No credentials scenario "${scenario}"; known: ${dataset.credentials.map((c) => c.scenario).join(', ')}`,
    );
  }
  return found;
}
