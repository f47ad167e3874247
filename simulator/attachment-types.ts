/**
 * Attachment types served by `transverses/v1/recuperer/typespj` and the only codes `soumettre`
 * and `completer` accept in `pieceJointeComplementaireType`.
 *
 * The real list for invoices (typeObjet FACTURE) is not public (API-FACTS §6.4): only DMD_RBST and
 * MEMOIRE codes were seen (AAR, ACE, AUJ "Autre justificatif", AUT "Autre"…), integrators send
 * `RIB`, and one reports that the sandbox refuses `BON_DE_COMMANDE`. The simulator's FACTURE list
 * is its own choice in that style: three-letter codes, `RIB`, "Doc. Annexe" as the label of `ANX`
 * (the default people know), and no `BON_DE_COMMANDE`.
 */
export interface AttachmentType {
  codeTypePieceJointe: string;
  idTypePieceJointe: number;
  libelleFr: string;
  libelleEn: string;
}

export const ATTACHMENT_TYPES_BY_OBJECT: Readonly<Record<string, readonly AttachmentType[]>> = {
  FACTURE: [
    {
      codeTypePieceJointe: 'ANX',
      idTypePieceJointe: 101,
      libelleFr: 'Doc. Annexe',
      libelleEn: 'Annex document',
    },
    { codeTypePieceJointe: 'RIB', idTypePieceJointe: 102, libelleFr: 'RIB', libelleEn: 'Bank details (RIB)' },
    {
      codeTypePieceJointe: 'BLV',
      idTypePieceJointe: 103,
      libelleFr: 'Bon de livraison',
      libelleEn: 'Delivery note',
    },
    { codeTypePieceJointe: 'DEV', idTypePieceJointe: 104, libelleFr: 'Devis', libelleEn: 'Quote' },
    {
      codeTypePieceJointe: 'AUJ',
      idTypePieceJointe: 105,
      libelleFr: 'Autre justificatif',
      libelleEn: 'Other supporting document',
    },
    { codeTypePieceJointe: 'AUT', idTypePieceJointe: 106, libelleFr: 'Autre', libelleEn: 'Other' },
    // A type the product's table of assumed codes does not know: only the list served here names it.
    {
      codeTypePieceJointe: 'PVR',
      idTypePieceJointe: 107,
      libelleFr: 'Procès-verbal de réception',
      libelleEn: 'Acceptance report',
    },
  ],
  // Codes seen on the community site for these objects (API-FACTS §6.4); labels are the simulator's.
  DMD_RBST: [
    {
      codeTypePieceJointe: 'AAR',
      idTypePieceJointe: 201,
      libelleFr: "Avis d'arrêt",
      libelleEn: 'Stop notice',
    },
    {
      codeTypePieceJointe: 'AUJ',
      idTypePieceJointe: 202,
      libelleFr: 'Autre justificatif',
      libelleEn: 'Other supporting document',
    },
    { codeTypePieceJointe: 'AUT', idTypePieceJointe: 203, libelleFr: 'Autre', libelleEn: 'Other' },
  ],
  MEMOIRE: [
    {
      codeTypePieceJointe: 'ACE',
      idTypePieceJointe: 301,
      libelleFr: "Acte d'engagement",
      libelleEn: 'Commitment deed',
    },
    {
      codeTypePieceJointe: 'AUJ',
      idTypePieceJointe: 302,
      libelleFr: 'Autre justificatif',
      libelleEn: 'Other supporting document',
    },
    { codeTypePieceJointe: 'AUT', idTypePieceJointe: 303, libelleFr: 'Autre', libelleEn: 'Other' },
  ],
};

export function isInvoiceAttachmentType(code: string): boolean {
  return ATTACHMENT_TYPES_BY_OBJECT.FACTURE.some((t) => t.codeTypePieceJointe === code);
}
