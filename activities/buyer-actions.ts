import type { ChorusAccess } from './chorus-access';

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
    }): Promise<void> {
      const { identifiantFactureCPP, buyerSiret, serviceCode, engagementNumber, comment } = input;
      await chorus.call(input.connectionId, (client) =>
        client.recycleInvoice({
          identifiantFactureCPP,
          destinataire: {
            codeDestinataire: buyerSiret,
            ...(serviceCode ? { codeServiceExecutant: serviceCode } : {}),
          },
          ...(engagementNumber ? { reference: { numeroBonCommande: engagementNumber } } : {}),
          ...(comment ? { commentaire: comment } : {}),
        }),
      );
    },

    async completeInvoice(input: {
      connectionId: string;
      identifiantFactureCPP: number;
      attachments: Array<{ pieceJointeId: number; fileName: string; type: string }>;
      comment?: string;
    }): Promise<void> {
      const { identifiantFactureCPP, attachments, comment } = input;
      await chorus.call(input.connectionId, (client) =>
        client.completeInvoice({
          identifiantFactureCPP,
          pieceJointeComplementaire: attachments.map((a) => ({
            pieceJointeComplementaireDesignation: a.fileName,
            pieceJointeComplementaireType: a.type,
            pieceJointeComplementaireId: a.pieceJointeId,
          })),
          ...(comment ? { commentaire: comment } : {}),
        }),
      );
    },
  };
}
