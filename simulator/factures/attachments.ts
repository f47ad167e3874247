import type { SimulatorFiles } from '../context';
import type { InvoiceAttachment } from './store';
import type { ComplementaryAttachment, Submission } from './submission-schema';

/**
 * Attachments are uploaded first (`transverses/v1/ajouter/fichier`) and referenced by id; an id
 * is usable only by the technical account that uploaded the file.
 */

const MAX_DESIGNATION = 100;
const MAX_TYPE = 30;

export type AttachmentCheck = { ok: true; attachments: InvoiceAttachment[] } | { ok: false; libelle: string };

function resolve(
  files: SimulatorFiles,
  login: string,
  pieceJointeId: number,
  field: string,
): { ok: true; name: string; extension: string; sizeBytes: number } | { ok: false; libelle: string } {
  const file = files.get(pieceJointeId);
  if (!file) {
    return { ok: false, libelle: `La pièce jointe ${pieceJointeId} (${field}) n'existe pas` };
  }
  if (file.ownerLogin !== login) {
    return {
      ok: false,
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
      return { ok: false, libelle: `La désignation de ${field} dépasse ${MAX_DESIGNATION} caractères` };
    }
    if (typeCode && typeCode.length > MAX_TYPE) {
      return { ok: false, libelle: `Le type de ${field} dépasse ${MAX_TYPE} caractères` };
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
