import express from 'express';
import { z } from 'zod';
import { ATTACHMENT_TYPES_BY_OBJECT } from '../attachment-types';
import { callerOf, supplierStructuresOf, type SimulatorContext } from '../context';
import { sendBusinessError, sendEmptySearch, sendOk } from '../envelope';
import { chorusId, readBody, INVALID_FIELD } from './request';

/** `/cpro/transverses/v1`: health check, attachments upload and the reference lists (API-FACTS §4.1). */
export function createTransversesRouter(ctx: SimulatorContext): express.Router {
  const router = express.Router();

  router.get('/health-check', (_req, res) => {
    ctx.counters.recordCall('transverses/health-check');
    // No codeRetour here: the real answer is a Spring ResponseEntity.
    res.json({
      body: "L'API CPRO est actuellement disponible et fonctionnel.",
      statusCode: 'OK',
      statusCodeValue: 200,
    });
  });

  router.post('/ajouter/fichier', (req, res) => {
    ctx.counters.recordCall('transverses/ajouter/fichier');
    const body = readBody(res, attachmentSchema, req.body);
    if (!body) return;
    const refusal = attachmentRefusal(body);
    if (refusal) {
      sendBusinessError(res, refusal.codeRetour, refusal.libelle);
      return;
    }
    const stored = ctx.files.add({
      name: body.pieceJointeNom,
      mimeType: body.pieceJointeTypeMime,
      extension: body.pieceJointeExtension.toLowerCase(),
      sizeBytes: decodedSize(body.pieceJointeFichier),
      ownerLogin: callerOf(res).account.login,
      uploadedAt: ctx.clock.now().toISOString(),
    });
    sendOk(res, { pieceJointeId: stored.pieceJointeId }, 'GCU_MSG_01_000');
  });

  router.post('/recuperer/structures/actives/fournisseur', (_req, res) => {
    ctx.counters.recordCall('transverses/recuperer/structures/actives/fournisseur');
    const structures = supplierStructuresOf(ctx, callerOf(res)).filter((s) => s.statut === 'ACTIVE');
    if (structures.length === 0) {
      sendEmptySearch(res, 'listeStructures');
      return;
    }
    sendOk(res, {
      listeStructures: structures.map((s) => ({
        idStructureCPP: s.idStructureCPP,
        identifiant: s.siret,
        designationStructure: s.designation,
      })),
    });
  });

  router.post('/recuperer/coordbanc/valides', (req, res) => {
    ctx.counters.recordCall('transverses/recuperer/coordbanc/valides');
    const body = readBody(res, z.object({ idStructure: chorusId }).loose(), req.body);
    if (!body) return;
    // Only the bank accounts of a structure the caller invoices as.
    const structure = supplierStructuresOf(ctx, callerOf(res)).find(
      (s) => s.idStructureCPP === body.idStructure,
    );
    const accounts = structure?.bankAccountIds ?? [];
    if (accounts.length === 0) {
      sendEmptySearch(res, 'listeCoordonneeBancaire');
      return;
    }
    sendOk(res, {
      listeCoordonneeBancaire: accounts.map((id, i) => ({
        idCoordonneeBancaire: id,
        nomCoordonneeBancaire: i === 0 ? 'Compte principal' : `Compte ${i + 1}`,
      })),
    });
  });

  router.post('/recuperer/cadrefacturation', (req, res) => {
    ctx.counters.recordCall('transverses/recuperer/cadrefacturation');
    const body = readBody(res, z.object({ typeDemandePaiement: z.string() }).loose(), req.body);
    if (!body) return;
    const frameworks = INVOICING_FRAMEWORKS[body.typeDemandePaiement];
    if (!frameworks) {
      sendBusinessError(res, INVALID_FIELD, 'Le champ typeDemandePaiement est invalide.');
      return;
    }
    sendOk(res, { listeCadreFacturation: frameworks.map((code) => ({ codeCadreFacturation: code })) });
  });

  router.post('/recuperer/motifs/exonerationtva', (req, res) => {
    ctx.counters.recordCall('transverses/recuperer/motifs/exonerationtva');
    const body = readBody(res, z.object({ codeLangue: z.string().nullish() }).loose(), req.body);
    if (!body) return;
    const english = body.codeLangue?.toUpperCase() === 'EN';
    sendOk(res, {
      listeMotifsExonerationTva: VAT_EXEMPTION_REASONS.map((r) => ({
        codeMotifExonerationTva: r.code,
        libelleMotifExonerationTva: english ? r.en : r.fr,
      })),
    });
  });

  router.post('/recuperer/typespj', (req, res) => {
    ctx.counters.recordCall('transverses/recuperer/typespj');
    const body = readBody(
      res,
      z.object({ codeLangue: z.string().nullish(), typeObjet: z.string() }).loose(),
      req.body,
    );
    if (!body) return;
    const types = ATTACHMENT_TYPES_BY_OBJECT[body.typeObjet.trim().toUpperCase()];
    if (!types) {
      sendEmptySearch(res, 'listeTypePieceJointe');
      return;
    }
    const english = body.codeLangue?.toUpperCase() === 'EN';
    sendOk(res, {
      listeTypePieceJointe: types.map((t) => ({
        codeTypePieceJointe: t.codeTypePieceJointe,
        idTypePieceJointe: t.idTypePieceJointe,
        libelleTypePieceJointe: english ? t.libelleEn : t.libelleFr,
        typeObjet: body.typeObjet.trim().toUpperCase(),
      })),
    });
  });

  router.post('/recuperer/modereglements', (_req, res) => {
    ctx.counters.recordCall('transverses/recuperer/modereglements');
    sendOk(
      res,
      { listeModePaiement: PAYMENT_MODES.map((modePaiement) => ({ modePaiement })) },
      'GCU_MSG_01_000',
    );
  });

  return router;
}

const attachmentSchema = z
  .object({
    idUtilisateurCourant: z.number().int().nullish(),
    pieceJointeFichier: z.string(),
    pieceJointeNom: z.string(),
    pieceJointeTypeMime: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/),
    pieceJointeExtension: z.string(),
  })
  .loose();

type AttachmentRequest = z.infer<typeof attachmentSchema>;

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const MAX_ATTACHMENT_NAME_LENGTH = 50;

/** File types Chorus Pro accepts as attachments (API-FACTS §7). */
export const ALLOWED_ATTACHMENT_EXTENSIONS = new Set(
  (
    'BMP GIF FAX ODT PPT TIFF XLS BZ2 GZ JPEG P7S RTF TXT XML CSV GZIP JPG PDF SVG XHTML XLSX ' +
    'DOC HTM ODP PNG TGZ XLC ZIP DOCX HTML ODS PPS TIF XLM PPTX'
  ).split(' '),
);

/** Linear on a 14 MB string: alphabet check here, length multiple of 4 checked apart. */
const BASE64_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

function attachmentRefusal(body: AttachmentRequest): { codeRetour: number; libelle: string } | undefined {
  const name = body.pieceJointeNom;
  const nameExtension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1];
  if (
    name.length > MAX_ATTACHMENT_NAME_LENGTH ||
    !nameExtension ||
    name.length === nameExtension.length + 1
  ) {
    return {
      codeRetour: 20004,
      libelle: `Le nom de la pièce jointe doit comporter une extension et au plus ${MAX_ATTACHMENT_NAME_LENGTH} caractères.`,
    };
  }
  const extension = body.pieceJointeExtension.toUpperCase();
  if (!ALLOWED_ATTACHMENT_EXTENSIONS.has(extension) || nameExtension.toUpperCase() !== extension) {
    return {
      codeRetour: 20005,
      libelle: `Le format de fichier ${body.pieceJointeExtension} n'est pas autorisé.`,
    };
  }
  const content = withoutLineBreaks(body.pieceJointeFichier);
  if (content.length === 0 || content.length % 4 !== 0 || !BASE64_ALPHABET.test(content)) {
    return { codeRetour: 20002, libelle: 'Le contenu de la pièce jointe doit être encodé en base64.' };
  }
  if (decodedSize(content) > MAX_ATTACHMENT_BYTES) {
    return {
      codeRetour: 20003,
      libelle: 'La taille de la pièce jointe dépasse la taille maximale autorisée (10 Mo).',
    };
  }
  return undefined;
}

/** MIME-style base64 wraps lines; the content is the same. */
function withoutLineBreaks(base64: string): string {
  return base64.replace(/[\r\n]/g, '');
}

function decodedSize(base64: string): number {
  const content = withoutLineBreaks(base64);
  const padding = content.endsWith('==') ? 2 : content.endsWith('=') ? 1 : 0;
  return (content.length / 4) * 3 - padding;
}

/** `codeCadreFacturation` per `typeDemandePaiement` (API-FACTS §6.1). */
const INVOICING_FRAMEWORKS: Record<string, string[] | undefined> = {
  FACTURE: [
    'A1_FACTURE_FOURNISSEUR',
    'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE',
    'A9_FACTURE_SOUSTRAITANT',
    'A12_FACTURE_COTRAITANT',
  ],
  MEMOIRE_JUSTICE: ['A3_MEMOIRE_JUSTICE'],
  DEMANDE_REMBOURSEMENT: ['A21_DEMANDE_REMBOURSEMENT_TIC'],
};

/** The real code table was not found (API-FACTS §12): plausible codes with the CGI article each relies on. */
const VAT_EXEMPTION_REASONS = [
  {
    code: 'FRANCHISE_293B',
    fr: 'TVA non applicable, article 293 B du CGI (franchise en base)',
    en: 'VAT not applicable, article 293 B of the CGI (small business exemption)',
  },
  {
    code: 'EXONERATION_261',
    fr: 'Exonération de TVA, article 261 du CGI',
    en: 'VAT exemption, article 261 of the CGI',
  },
  {
    code: 'EXONERATION_261_4_4',
    fr: 'Exonération de TVA, article 261-4-4° du CGI (enseignement, formation professionnelle)',
    en: 'VAT exemption, article 261-4-4° of the CGI (education, vocational training)',
  },
  {
    code: 'EXPORTATION_262',
    fr: 'Exonération de TVA, article 262 I du CGI (exportation)',
    en: 'VAT exemption, article 262 I of the CGI (export)',
  },
  {
    code: 'LIVRAISON_INTRACOM_262_TER',
    fr: 'Exonération de TVA, article 262 ter I du CGI (livraison intracommunautaire)',
    en: 'VAT exemption, article 262 ter I of the CGI (intra-Community supply)',
  },
  {
    code: 'AUTOLIQUIDATION_283',
    fr: 'Autoliquidation, article 283 du CGI',
    en: 'Reverse charge, article 283 of the CGI',
  },
  {
    code: 'AUTOLIQUIDATION_SOUS_TRAITANCE_BTP',
    fr: 'Autoliquidation, article 283-2 nonies du CGI (sous-traitance de travaux de construction)',
    en: 'Reverse charge, article 283-2 nonies of the CGI (construction subcontracting)',
  },
  {
    code: 'HORS_CHAMP',
    fr: "Opération hors du champ d'application de la TVA",
    en: 'Transaction outside the scope of VAT',
  },
];

const PAYMENT_MODES = ['CHEQUE', 'PRELEVEMENT', 'VIREMENT', 'ESPECE', 'AUTRE', 'REPORT'];
