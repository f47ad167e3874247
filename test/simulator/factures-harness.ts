import { parseChorusJson, stringifyChorusJson } from '../../domain/chorus-json';
import { startSimulator, type RunningSimulator } from '../../simulator/app';
import { credentialsByScenario, structureByScenario, type StructureRecord } from '../../simulator/dataset';

/**
 * Real HTTP against the whole simulator (OAuth, gateway, Factures routes) for the Factures tests.
 * Bodies go out and come back through the Chorus decimal JSON, so amounts stay exact strings.
 */

export interface ChorusReply {
  status: number;
  body: Record<string, unknown> & { codeRetour?: number; libelle?: string };
}

export interface FacturesHarness {
  sim: RunningSimulator;
  supplier: StructureRecord;
  login: string;
  buyer(scenario: string): StructureRecord;
  call(operation: string, body: unknown, as?: { login: string; password: string }): Promise<ChorusReply>;
  upload(name: string, owner?: string): number;
  nextNumber(prefix?: string): string;
  close(): Promise<void>;
}

export async function startFacturesHarness(): Promise<FacturesHarness> {
  const sim = await startSimulator({ port: 0 });
  const credentials = credentialsByScenario(sim.ctx.dataset, 'credentials.valid');
  const tokenResponse = await fetch(`${sim.url}/api/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.piste.clientId,
      client_secret: credentials.piste.clientSecret,
      scope: 'openid',
    }).toString(),
  });
  if (tokenResponse.status !== 200) throw new Error(`token endpoint answered ${tokenResponse.status}`);
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const supplier = sim.ctx.dataset.structures.find((s) => s.siret === credentials.supplierSiret);
  if (!supplier) throw new Error('credentials.valid has no supplier structure');
  let sequence = 0;

  return {
    sim,
    supplier,
    login: credentials.technicalAccount.login,
    buyer: (scenario) => structureByScenario(sim.ctx.dataset, scenario),
    async call(operation, body, as = credentials.technicalAccount) {
      const response = await fetch(`${sim.url}/cpro/factures/v1/${operation}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'cpro-account': Buffer.from(`${as.login}:${as.password}`).toString('base64'),
          'content-type': 'application/json;charset=utf-8',
        },
        body: stringifyChorusJson(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? parseChorusJson(text) : {} };
    },
    upload(name, owner = credentials.technicalAccount.login) {
      const extension = name.split('.').pop() ?? 'pdf';
      return sim.ctx.files.add({
        name,
        mimeType: extension === 'pdf' ? 'application/pdf' : 'application/octet-stream',
        extension,
        sizeBytes: 2048,
        ownerLogin: owner,
        uploadedAt: sim.ctx.clock.now().toISOString(),
      }).pieceJointeId;
    },
    nextNumber(prefix = 'F') {
      sequence += 1;
      return `${prefix}-${String(sequence).padStart(4, '0')}`;
    },
    close: () => sim.close(),
  };
}

/**
 * A valid SAISIE_API body (the official sample's amounts: HT 1326, TVA 130.272, global discount
 * 50, TTC 1406.272, to pay 1400) for `buyer`, typed like a client would send it.
 */
export function saisieBody(
  supplier: StructureRecord,
  buyer: StructureRecord,
  numero: string,
  extra: { codeServiceExecutant?: string; numeroBonCommande?: string } = {},
): Record<string, unknown> {
  return {
    modeDepot: 'SAISIE_API',
    numeroFactureSaisi: numero,
    dateFacture: '2026-03-02',
    idUtilisateurCourant: 0,
    fournisseur: {
      idFournisseur: supplier.idStructureCPP,
      codeCoordonneesBancairesFournisseur: supplier.bankAccountIds?.[0] ?? null,
    },
    destinataire: {
      codeDestinataire: buyer.siret,
      ...(extra.codeServiceExecutant ? { codeServiceExecutant: extra.codeServiceExecutant } : {}),
    },
    cadreDeFacturation: { codeCadreFacturation: 'A1_FACTURE_FOURNISSEUR' },
    references: {
      deviseFacture: 'EUR',
      typeFacture: 'FACTURE',
      typeTva: 'TVA_SUR_DEBIT',
      modePaiement: 'VIREMENT',
      numeroMarche: 'MARCHE-2026-01',
      ...(extra.numeroBonCommande ? { numeroBonCommande: extra.numeroBonCommande } : {}),
    },
    lignePoste: [
      line(1, 'Maintenance', '10', '51', '20'),
      line(2, 'Journaux', '12', '36', '2.1'),
      line(3, 'Fournitures', '8', '48', '5'),
    ],
    ligneTva: [
      { ligneTvaTauxManuel: '20', ligneTvaMontantBaseHtParTaux: '510', ligneTvaMontantTvaParTaux: '102' },
      { ligneTvaTauxManuel: '2.1', ligneTvaMontantBaseHtParTaux: '432', ligneTvaMontantTvaParTaux: '9.072' },
      { ligneTvaTauxManuel: '5', ligneTvaMontantBaseHtParTaux: '384', ligneTvaMontantTvaParTaux: '19.2' },
    ],
    montantTotal: {
      montantHtTotal: '1326.000000',
      montantTVA: '130.272000',
      montantRemiseGlobaleTTC: '50',
      motifRemiseGlobaleTTC: 'Geste commercial',
      montantTtcTotal: '1406.272000',
      montantAPayer: '1400.000000',
    },
    // Unknown to the API: real clients send such fields and Chorus ignores them.
    acompte: null,
    numeroTvaIntra: 'FR00876543210',
  };
}

export function line(n: number, denomination: string, quantite: string, prix: string, taux: string) {
  return {
    lignePosteNumero: n,
    lignePosteReference: `REF-${n}`,
    lignePosteDenomination: denomination,
    lignePosteQuantite: quantite,
    lignePosteUnite: 'unité',
    lignePosteMontantUnitaireHT: prix,
    lignePosteTauxTvaManuel: taux,
  };
}

/** A DEPOT_PDF_API body referencing an uploaded PDF. */
export function pdfBody(
  supplier: StructureRecord,
  buyer: StructureRecord,
  numero: string,
  pieceJointeId: number,
): Record<string, unknown> {
  const body = saisieBody(supplier, buyer, numero);
  delete body.lignePoste;
  delete body.ligneTva;
  return {
    ...body,
    modeDepot: 'DEPOT_PDF_API',
    pieceJointePrincipale: [
      { pieceJointePrincipaleDesignation: 'facture.pdf', pieceJointePrincipaleId: pieceJointeId },
    ],
  };
}

export const HOUR = 3600;
export const DAY = 86400;
