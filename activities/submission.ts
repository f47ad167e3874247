import { ApplicationFailure } from '@temporalio/common';
import type { ChorusSubmitBody } from '../domain/chorus-invoice';
import { attachmentExtension } from '../domain/invoice';
import type { BlobStore } from '../platform/blob-store';
import type { ChorusAccess } from './chorus-access';
import { ChorusBusinessError } from './chorus/errors';
import { toApplicationFailure } from './chorus/failure';
import { DUPLICATE_NUMBER_REFUSAL } from './chorus/uncertain-facts';
import { correctableFields } from './correctable-refusals';
import { mimeTypeOf } from './mime-types';

export type SubmitOutcome =
  | {
      kind: 'accepted';
      identifiantFactureCPP: number;
      statut: string;
      dateDepot: string;
      /** The number Chorus gave the invoice (it may number invoices itself). */
      numeroFacture?: string;
    }
  /** Chorus refused the number because the supplier already used it. */
  | { kind: 'duplicate-number'; codeRetour: number; libelle: string }
  /**
   * Chorus refused the invoice for a business reason (codeRetour/libelle); `fields` when a person
   * can fix it by changing those values (activities/correctable-refusals.ts).
   */
  | { kind: 'rejected'; codeRetour: number; libelle: string; fields?: string[] };

export interface FoundInvoice {
  identifiantFactureCPP: number;
  /** Chorus's number for it: ours, or the one Chorus gave it. */
  numeroFacture: string;
  /** `number`: found by our invoice number; `content`: by buyer, deposit day and amount (Chorus renumbered it). */
  foundBy: 'number' | 'content';
  /** Found by content: how many invoices matched (more than one cannot be told apart). */
  matches?: number;
  statut: string;
  buyerSiret: string;
  amountInclVat?: string;
  dateDepot?: string;
}

function found(
  hit: {
    identifiantFactureCPP: number;
    numeroFacture?: string | null;
    statut?: string | null;
    codeDestinataire?: string | null;
    montantTTC?: string | null;
    dateDepot?: string | null;
  },
  foundBy: FoundInvoice['foundBy'],
): FoundInvoice {
  return {
    identifiantFactureCPP: hit.identifiantFactureCPP,
    numeroFacture: hit.numeroFacture ?? '',
    foundBy,
    statut: hit.statut ?? 'DEPOSEE',
    buyerSiret: hit.codeDestinataire ?? '',
    ...(hit.montantTTC ? { amountInclVat: hit.montantTTC } : {}),
    ...(hit.dateDepot ? { dateDepot: hit.dateDepot } : {}),
  };
}

/** Duplicate-number refusals are recognised by their text: no code is documented for them. */
const DUPLICATE_NUMBER = DUPLICATE_NUMBER_REFUSAL.value.libelle;

/** Uploading attachments, sending the invoice (one attempt), and finding it again by number. */
export function createSubmissionActivities(chorus: ChorusAccess, deps: { blobs: BlobStore }) {
  return {
    async uploadAttachment(input: {
      connectionId: string;
      ref: string;
      fileName: string;
    }): Promise<{ pieceJointeId: number }> {
      const content = await deps.blobs.get(input.ref).catch((err: Error) => {
        throw ApplicationFailure.create({ type: 'BlobNotFound', message: err.message, nonRetryable: true });
      });
      const extension = attachmentExtension(input.fileName) ?? 'PDF';
      return chorus.call(input.connectionId, async (client) => {
        const answer = await client.uploadFile({
          pieceJointeFichier: content.toString('base64'),
          pieceJointeNom: input.fileName,
          pieceJointeTypeMime: mimeTypeOf(extension),
          pieceJointeExtension: extension,
        });
        return { pieceJointeId: answer.pieceJointeId };
      });
    },

    /** One attempt only: the workflow decides what to do when the outcome is unknown. */
    async submitInvoice(input: { connectionId: string; body: ChorusSubmitBody }): Promise<SubmitOutcome> {
      const { client } = await chorus.connection(input.connectionId);
      try {
        const answer = await client.submitInvoice(input.body);
        return {
          kind: 'accepted',
          identifiantFactureCPP: answer.identifiantFactureCPP,
          statut: answer.statutFacture ?? 'DEPOSEE',
          dateDepot: answer.dateDepot ?? '',
          ...(answer.numeroFacture ? { numeroFacture: answer.numeroFacture } : {}),
        };
      } catch (err) {
        if (err instanceof ChorusBusinessError) {
          const details = err.toDetails();
          const codeRetour = details.codeRetour ?? 0;
          const libelle = details.libelle ?? err.message;
          if (DUPLICATE_NUMBER.test(libelle)) return { kind: 'duplicate-number', codeRetour, libelle };
          const fields = correctableFields(codeRetour);
          return { kind: 'rejected', codeRetour, libelle, ...(fields ? { fields: [...fields] } : {}) };
        }
        throw toApplicationFailure(err);
      }
    },

    /**
     * Our invoice in Chorus after an unknown outcome: by our number, else — Chorus may number
     * invoices itself — by buyer, deposit day and amount (`byContent`).
     */
    async findSubmittedInvoice(input: {
      connectionId: string;
      invoiceNumber: string;
      byContent?: { buyerStructureId: number; amountInclVat: string; depositedFrom: string };
    }): Promise<FoundInvoice | null> {
      const { invoiceNumber, byContent } = input;
      return chorus.call(input.connectionId, async (client, record) => {
        const idFournisseur = (await chorus.supplierOf(client, record)).idStructureCPP;
        const supplier = idFournisseur ? { idFournisseur } : {};
        const byNumber = (
          await client.allSupplierInvoices({ numeroFacture: invoiceNumber, ...supplier })
        ).find((h) => h.numeroFacture === invoiceNumber);
        if (byNumber) return found(byNumber, 'number');
        if (!byContent) return null;
        const candidates = await client.allSupplierInvoices({
          ...supplier,
          listeDestinataire: [{ idDestinataire: byContent.buyerStructureId }],
          montantTTCMin: byContent.amountInclVat,
          montantTTCMax: byContent.amountInclVat,
          periodeDateDepotDu: byContent.depositedFrom,
        });
        if (candidates.length === 0) return null;
        const newest = [...candidates].sort((a, b) => b.identifiantFactureCPP - a.identifiantFactureCPP)[0];
        return { ...found(newest, 'content'), matches: candidates.length };
      });
    },
  };
}
