import express, { type Response } from 'express';
import { z } from 'zod';
import { callerOf, type CallerIdentity, type SimulatorContext } from '../context';
import { passwordExpiresAt, type PostalAddress, type ServiceRecord, type StructureRecord } from '../dataset';
import { paginate, sendBusinessError, sendEmptySearch, sendOk } from '../envelope';
import { chorusId, paginationOf, paginationSchema, readBody, sortByColumn } from './request';

/** Functional error for an id that names no structure or service the caller may see. */
export const NOT_FOUND = 20002;

/** `/cpro/structures/v1`, as in the official Swagger (API-FACTS §4.2). */
export function createStructuresRouter(ctx: SimulatorContext): express.Router {
  const router = express.Router();

  router.post('/rechercher', (req, res) => {
    ctx.counters.recordCall('structures/rechercher');
    const body = readBody(res, searchStructuresSchema, req.body);
    if (!body) return;
    const caller = callerOf(res);
    const criteria = body.structure ?? {};
    const matches = ctx.dataset.structures.filter(
      (s) =>
        (body.restreindreStructuresPrivees === false || visibleTo(s, caller)) && matchesCriteria(s, criteria),
    );
    if (matches.length === 0) {
      sendEmptySearch(res, 'listeStructures');
      return;
    }
    const pagination = paginationOf(body.parametres);
    const { page, parametresRetour } = paginate(
      sortByColumn(matches, STRUCTURE_COLUMNS, pagination),
      pagination,
    );
    sendOk(res, {
      listeStructures: page.map((s) => ({
        idStructureCPP: s.idStructureCPP,
        identifiantStructure: s.siret,
        designationStructure: s.designation,
        typeIdentifiantStructure: 'SIRET',
        statut: s.statut,
      })),
      parametresRetour,
    });
  });

  router.post('/consulter', (req, res) => {
    ctx.counters.recordCall('structures/consulter');
    const body = readBody(
      res,
      z.object({ idStructureCPP: chorusId, codeLangue: z.string().nullish() }).loose(),
      req.body,
    );
    if (!body) return;
    const caller = callerOf(res);
    const structure = visibleStructure(ctx, caller, body.idStructureCPP, res);
    if (!structure) return;
    sendOk(res, {
      informationGenerales: {
        idStructureCPP: structure.idStructureCPP,
        identifiantStructure: structure.siret,
        typeIdentifiantStructure: 'SIRET',
        raisonSocialeStructure: structure.designation,
        libelleStructure: structure.designation,
        emailStructure: structure.emailStructure,
        ...(structure.type === 'PRIVEE'
          ? { numeroRcsStructure: `RCS ${structure.adresse.ville} ${structure.siret.slice(0, 9)}` }
          : {}),
        numeroTVA: intraCommunityVatNumber(structure.siret),
        structurePriveePublique: structure.type,
        estValideurDeleguee: false,
        listeStructureDupliquees: [],
        // The calling technical account's password expiry, whatever structure is consulted.
        dateExpirationMotPasseCompteTech: passwordExpiresAt(caller.account, ctx.clock.now()).toISOString(),
      },
      parametres: {
        ...structure.parametres,
        estMoaUniquement: false,
        getaMoa: false,
        connexionEDI: false,
        recevoirDonneesViaEDI: false,
        estValideurDelegue: false,
        nonDiffusibleInsee: false,
      },
      adressePostaleDuSiege: postalAddress(structure.adresse),
    });
  });

  router.post('/rechercher/services', (req, res) => {
    ctx.counters.recordCall('structures/rechercher/services');
    const body = readBody(res, searchServicesSchema, req.body);
    if (!body) return;
    const structure = visibleStructure(ctx, callerOf(res), body.idStructure, res);
    if (!structure) return;
    if (structure.services.length === 0) {
      sendEmptySearch(res, 'listeServices');
      return;
    }
    const pagination = paginationOf(body.parametresRechercherServicesStructure);
    const { page, parametresRetour } = paginate(
      sortByColumn(structure.services, SERVICE_COLUMNS, pagination),
      pagination,
    );
    sendOk(res, {
      listeServices: page.map((s) => ({
        idService: s.idService,
        codeService: s.codeService,
        libelleService: s.libelleService,
        estActif: s.estActif,
        statutService: serviceStatus(s),
        dateDbtService: shortDateTime(s.dateDebut),
        dateFinService: shortDateTime(s.dateFin),
      })),
      parametresRetour,
    });
  });

  router.post('/consulter/service', (req, res) => {
    ctx.counters.recordCall('structures/consulter/service');
    const body = readBody(
      res,
      z.object({ idStructure: chorusId, idService: chorusId, codeLangue: z.string().nullish() }).loose(),
      req.body,
    );
    if (!body) return;
    const structure = visibleStructure(ctx, callerOf(res), body.idStructure, res);
    if (!structure) return;
    const service = structure.services.find((s) => s.idService === body.idService);
    if (!service) {
      sendBusinessError(res, NOT_FOUND, `Le service ${body.idService} n'existe pas pour cette structure.`);
      return;
    }
    sendOk(res, {
      informationsGenerales: {
        codeService: service.codeService,
        nomService: service.libelleService,
        descriptionService: service.libelleService,
      },
      parametres: {
        numeroEngagement: service.numeroEngagement,
        miseEnPaiement: service.miseEnPaiement,
        dateCreation: service.dateDebut,
        dateDebutValidite: service.dateDebut,
        dateFinValidite: service.dateFin,
        dateModification: service.dateDebut,
      },
      adressePostale: postalAddress(structure.adresse),
      // The real answer carries these stray paging fields too (Swagger WsRetourConsulterServiceStructure).
      nbResultatsParPage: 0,
      pageCourante: 0,
      pages: 0,
      total: 0,
    });
  });

  return router;
}

const searchStructuresSchema = z
  .object({
    structure: z
      .object({
        identifiantStructure: z.string().nullish(),
        typeIdentifiantStructure: z
          .enum(['SIRET', 'UE_HORS_FRANCE', 'HORS_UE', 'RIDET', 'TAHITI', 'AUTRE', 'PARTICULIER'])
          .nullish(),
        typeStructure: z.enum(['PRIVEE', 'PUBLIQUE']).nullish(),
        statutStructure: z.enum(['ACTIF', 'INACTIF']).nullish(),
        raisonSocialeStructure: z.string().nullish(),
        libelleStructure: z.string().nullish(),
        nomStructure: z.string().nullish(),
        prenomStructure: z.string().nullish(),
        adresseCodePays: z.string().nullish(),
        adresseCodePostal: z.string().nullish(),
        adresseVille: z.string().nullish(),
        estMOA: z.boolean().nullish(),
        estMOAUniquement: z.boolean().nullish(),
      })
      .loose()
      .nullish(),
    restreindreStructuresPrivees: z.boolean().nullish(),
    parametres: paginationSchema,
  })
  .loose();

type StructureCriteria = NonNullable<z.infer<typeof searchStructuresSchema>['structure']>;

const searchServicesSchema = z
  .object({ idStructure: chorusId, parametresRechercherServicesStructure: paginationSchema })
  .loose();

const STRUCTURE_COLUMNS = {
  IdentifiantStructure: (s: StructureRecord) => s.siret,
  DesignationStructure: (s: StructureRecord) => s.designation,
  TypeIdentifiantStructure: () => 'SIRET',
  Statut: (s: StructureRecord) => s.statut,
};

const SERVICE_COLUMNS = {
  CodeService: (s: ServiceRecord) => s.codeService,
  LibelleService: (s: ServiceRecord) => s.libelleService,
  DateDbtService: (s: ServiceRecord) => s.dateDebut,
  DateFinService: (s: ServiceRecord) => s.dateFin,
  EstActif: (s: ServiceRecord) => s.estActif,
};

/** Public structures are visible to all; a private one only to accounts attached to it (restreindreStructuresPrivees). */
function visibleTo(structure: StructureRecord, caller: CallerIdentity): boolean {
  return (
    structure.type === 'PUBLIQUE' || caller.account.supplierStructureIds.includes(structure.idStructureCPP)
  );
}

function visibleStructure(
  ctx: SimulatorContext,
  caller: CallerIdentity,
  idStructureCPP: number,
  res: Response,
): StructureRecord | undefined {
  const structure = ctx.dataset.structures.find((s) => s.idStructureCPP === idStructureCPP);
  if (!structure || !visibleTo(structure, caller)) {
    sendBusinessError(res, NOT_FOUND, `La structure ${idStructureCPP} n'existe pas.`);
    return undefined;
  }
  return structure;
}

function matchesCriteria(s: StructureRecord, c: StructureCriteria): boolean {
  const contains = (text: string, part: string | null | undefined) =>
    !part || text.toLowerCase().includes(part.trim().toLowerCase());
  const statut =
    c.statutStructure === 'ACTIF' ? 'ACTIVE' : c.statutStructure === 'INACTIF' ? 'INACTIVE' : null;
  return (
    (!c.identifiantStructure || c.identifiantStructure.trim() === s.siret) &&
    (!c.typeIdentifiantStructure || c.typeIdentifiantStructure === 'SIRET') &&
    (!c.typeStructure || c.typeStructure === s.type) &&
    (!statut || statut === s.statut) &&
    contains(s.designation, c.raisonSocialeStructure) &&
    contains(s.designation, c.libelleStructure) &&
    contains(s.designation, c.nomStructure) &&
    // No structure of the data set is a works contracting authority (MOA).
    c.estMOA !== true &&
    c.estMOAUniquement !== true &&
    (!c.adresseCodePays || c.adresseCodePays.toUpperCase() === s.adresse.pays) &&
    (!c.adresseCodePostal || c.adresseCodePostal.trim() === s.adresse.codePostal) &&
    contains(s.adresse.ville, c.adresseVille)
  );
}

function postalAddress(a: PostalAddress) {
  return {
    adresse: a.adresse,
    codePostal: a.codePostal,
    ville: a.ville,
    pays: a.pays,
    ...(a.telephone ? { telephone: a.telephone, indicatifTelephone: '+33' } : {}),
  };
}

function serviceStatus(s: ServiceRecord): string {
  return s.estActif ? 'ACTIF' : 'INACTIF';
}

/** `YYYY-MM-DD HH:MM`, how real answers write service dates (API-FACTS §3.3). */
function shortDateTime(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/** French intra-Community VAT number: FR + key + SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97. */
export function intraCommunityVatNumber(siret: string): string {
  const siren = siret.slice(0, 9);
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return `FR${String(key).padStart(2, '0')}${siren}`;
}
