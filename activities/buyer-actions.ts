import type { ChorusAccess } from './chorus-access';
import { ChorusBusinessError } from './chorus/errors';
import { RETURN_NO_LONGER_PENDING } from './chorus/uncertain-facts';

/**
 * What became of an answer to a buyer's return: sent, or refused by Chorus because the invoice had
 * already left the returned status (`chorusSays`: its words), which a resend after a lost answer
 * meets when the first send landed. Either way the return is settled; tracking reads what follows.
 */
export type ReturnAnswerOutcome = { sent: true } | { sent: false; chorusSays: string };

/** The supplier's answers to a buyer's return: `recycler` (A_RECYCLER) and `completer` (SUSPENDUE). */
export function createBuyerActionActivities(chorus: ChorusAccess) {
  return {
    async recycleInvoice(input: {
      connectionId: string;
      identifiantFactureCPP: number;
      buyerSiret: string;
      serviceCode?: string;
      engagementNumber?: string;
      comment?: string;
    }): Promise<ReturnAnswerOutcome> {
      const { identifiantFactureCPP, buyerSiret, serviceCode, engagementNumber, comment } = input;
      return chorus.call(input.connectionId, (client) =>
        settled(RETURN_NO_LONGER_PENDING.value.recycler, () =>
          client.recycleInvoice({
            identifiantFactureCPP,
            destinataire: {
              codeDestinataire: buyerSiret,
              ...(serviceCode ? { codeServiceExecutant: serviceCode } : {}),
            },
            ...(engagementNumber ? { reference: { numeroBonCommande: engagementNumber } } : {}),
            ...(comment ? { commentaire: comment } : {}),
          }),
        ),
      );
    },

    async completeInvoice(input: {
      connectionId: string;
      identifiantFactureCPP: number;
      attachments: Array<{ pieceJointeId: number; fileName: string; type: string }>;
      comment?: string;
    }): Promise<ReturnAnswerOutcome> {
      const { identifiantFactureCPP, attachments, comment } = input;
      return chorus.call(input.connectionId, (client) =>
        settled(RETURN_NO_LONGER_PENDING.value.completer, () =>
          client.completeInvoice({
            identifiantFactureCPP,
            pieceJointeComplementaire: attachments.map((a) => ({
              pieceJointeComplementaireDesignation: a.fileName,
              pieceJointeComplementaireType: a.type,
              pieceJointeComplementaireId: a.pieceJointeId,
            })),
            ...(comment ? { commentaire: comment } : {}),
          }),
        ),
      );
    },
  };
}

/**
 * Sends an answer; Chorus's "no longer in that status" refusal settles it as well (caught here, inside
 * the call, before its errors become Temporal failures).
 */
async function settled(
  noLongerPending: { libelle: RegExp; codeRetour?: number },
  send: () => Promise<unknown>,
): Promise<ReturnAnswerOutcome> {
  try {
    await send();
    return { sent: true };
  } catch (err) {
    if (
      err instanceof ChorusBusinessError &&
      (noLongerPending.libelle.test(err.libelle) || err.codeRetour === noLongerPending.codeRetour)
    ) {
      return { sent: false, chorusSays: err.libelle };
    }
    throw err;
  }
}
