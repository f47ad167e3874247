import { isInvoiceAttachmentType } from '../attachment-types';
import type { SimulatorFiles } from '../context';
import type { InvoiceAttachment } from './store';
import type { ComplementaryAttachment, Submission } from './submission-schema';

/**
 * Attachments are uploaded first (`transverses/v1/ajouter/fichier`) and referenced by id; an id
 * is usable only by the technical account that uploaded the file.
 */

const MAX_DESIGNATION = 100;
const MAX_TYPE = 30;

/** One invoice with all its attachments ("dossier de facturation") weighs at most 120 MB (API-FACTS §7). */
export const MAX_INVOICE_ATTACHMENTS_BYTES = 120 * 1024 * 1024;

export type AttachmentCheck =
  | { ok: true; attachments: InvoiceAttachment[] }
  | { ok: false; libelle: string; rule: 'reference' | 'type' | 'total-size' };

/** The refusal of an invoice's attachments heavier together than the per-invoice limit. */
export function totalSizeRefusal(attachments: readonly InvoiceAttachment[]): AttachmentCheck | undefined {
  const bytes = attachments.reduce((sum, a) => sum + a.sizeBytes, 0);
  if (bytes <= MAX_INVOICE_ATTACHMENTS_BYTES) return undefined;
  const megabytes = (bytes / (1024 * 1024)).toFixed(1);
  return {
    ok: false,
    rule: 'total-size',
    libelle: `La taille totale des pièces jointes de la facture (${megabytes} Mo) dépasse 120 Mo`,
  };
}

function resolve(
  files: SimulatorFiles,
  login: string,
  pieceJointeId: number,
  field: string,
): { ok: true; name: string; extension: string; sizeBytes: number } | (AttachmentCheck & { ok: false }) {
  const file = files.get(pieceJointeId);
  if (!file) {
    return {
      ok: false,
      rule: 'reference',
      libelle: `La pièce jointe ${pieceJointeId} (${field}) n'existe pas`,
    };
  }
  if (file.ownerLogin !== login) {
    return {
      ok: false,
      rule: 'reference',
      libelle: `La pièce jointe ${pieceJointeId} (${field}) n'a pas été déposée par ce compte technique`,
    };
  }
  return { ok: true, name: file.name, extension: file.extension, sizeBytes: file.sizeBytes };
}

export function checkComplementaryAttachments(
  files: SimulatorFiles,
  login: string,
  items: ComplementaryAttachment[],
): AttachmentCheck {
  const attachments: InvoiceAttachment[] = [];
  for (const [i, item] of items.entries()) {
    const field = `pieceJointeComplementaire[${i}]`;
    const designation = item.pieceJointeComplementaireDesignation ?? undefined;
    const typeCode = item.pieceJointeComplementaireType ?? undefined;
    if (designation && designation.length > MAX_DESIGNATION) {
      return {
        ok: false,
        rule: 'reference',
        libelle: `La désignation de ${field} dépasse ${MAX_DESIGNATION} caractères`,
      };
    }
    if (typeCode && typeCode.length > MAX_TYPE) {
      return { ok: false, rule: 'reference', libelle: `Le type de ${field} dépasse ${MAX_TYPE} caractères` };
    }
    if (typeCode?.trim() && !isInvoiceAttachmentType(typeCode.trim())) {
      return {
        ok: false,
        rule: 'type',
        libelle: `Le type de pièce jointe « ${typeCode} » de ${field} est inconnu : utiliser un code de transverses/v1/recuperer/typespj (typeObjet FACTURE)`,
      };
    }
    const file = resolve(files, login, item.pieceJointeComplementaireId, field);
    if (!file.ok) return file;
    attachments.push({
      pieceJointeId: item.pieceJointeComplementaireId,
      designation: designation ?? file.name,
      extension: file.extension,
      sizeBytes: file.sizeBytes,
      main: false,
      ...(typeCode ? { typeCode } : {}),
      ...(item.pieceJointeComplementaireNumeroLigneFacture != null
        ? { numeroLigneFacture: item.pieceJointeComplementaireNumeroLigneFacture }
        : {}),
    });
  }
  return { ok: true, attachments };
}

/** Both lists of a `soumettre` body, main file first. */
export function checkSubmissionAttachments(
  files: SimulatorFiles,
  login: string,
  submission: Submission,
): AttachmentCheck {
  const attachments: InvoiceAttachment[] = [];
  for (const [i, item] of submission.pieceJointePrincipale.entries()) {
    const field = `pieceJointePrincipale[${i}]`;
    const file = resolve(files, login, item.pieceJointePrincipaleId, field);
    if (!file.ok) return file;
    attachments.push({
      pieceJointeId: item.pieceJointePrincipaleId,
      designation: item.pieceJointePrincipaleDesignation ?? file.name,
      extension: file.extension,
      sizeBytes: file.sizeBytes,
      main: true,
    });
  }
  const complementary = checkComplementaryAttachments(files, login, submission.pieceJointeComplementaire);
  if (!complementary.ok) return complementary;
  return { ok: true, attachments: [...attachments, ...complementary.attachments] };
}
