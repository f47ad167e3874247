import { ATTACHMENT_TYPES_BY_OBJECT } from '../attachment-types';
import { fromMicros, percentage, toMicros } from '../decimal';
import type { PaginationRequest } from '../envelope';
import { lineExclVat } from './amounts';
import { chorusDate, invoiceDateTime } from './dates';
import { pagedSubList } from './paging';
import { statusOf, type InvoiceAttachment, type StoredInvoice } from './store';

/**
 * How stored invoices read back through the API: the search item of `rechercher/fournisseur`
 * and the `facture` object of `consulter/fournisseur` (API-FACTS §4.5.4–4.5.5). Absent values are
 * `null`, as the platform writes them; amounts stay exact decimal strings until serialised.
 */

/** One element of `listeFactures`; note `statut`, not `statutFacture`. */
export function searchItem(invoice: StoredInvoice, now: Date): Record<string, unknown> {
  const current = statusOf(invoice, now);
  const { submission, routing, supplier } = invoice;
  return {
    identifiantFactureCPP: invoice.identifiantFactureCPP,
    numeroFacture: invoice.numeroFacture,
    statut: current.status,
    dateFacture: invoice.dateFacture,
    dateDepot: chorusDate(invoice.depositedAt),
    dateHeureEtatCourant: invoiceDateTime(routing.buyer, current.at),
    commentaireEtatCourant: current.comment ?? null,
    typeFacture: submission.references.typeFacture,
    typeDemandePaiement: 'FACTURE',
    modeDepot: invoice.modeDepot,
    codeDestinataire: routing.buyer.siret,
    designationDestinataire: routing.buyer.designation,
    idDestinataire: routing.buyer.idStructureCPP,
    codeServiceExecutant: routing.service?.codeService ?? null,
    nomServiceExecutant: routing.service?.libelleService ?? null,
    idServiceExecutant: routing.service?.idService ?? null,
    codeFournisseur: supplier.siret,
    designationFournisseur: supplier.designation,
    typeIdentifiantFournisseur: 'SIRET',
    idFournisseur: supplier.idStructureCPP,
    montantHT: submission.montantTotal.montantHtTotal,
    montantTTC: submission.montantTotal.montantTtcTotal,
    montantAPayer: submission.montantTotal.montantAPayer,
    devise: submission.references.deviseFacture,
    numeroBonCommande: routing.numeroBonCommande ?? null,
    numeroMarche: submission.references.numeroMarche ?? null,
    numeroFactureOrigine: submission.references.numeroFactureOrigine ?? null,
    rejetTraite: false,
  };
}

export interface DetailPaging {
  lines: PaginationRequest;
  attachments: PaginationRequest;
  vatLines: PaginationRequest;
}

/** The `facture` object of `consulter/fournisseur`. */
export function invoiceDetail(
  invoice: StoredInvoice,
  now: Date,
  paging: DetailPaging,
): Record<string, unknown> {
  const { submission, routing, supplier } = invoice;
  const totals = submission.montantTotal;
  const discount = totals.montantRemiseGlobaleTTC ?? null;
  const main = invoice.attachments.find((a) => a.main);
  return {
    identifiantFactureCPP: invoice.identifiantFactureCPP,
    numeroFacture: invoice.numeroFacture,
    statutFacture: statusOf(invoice, now).status,
    modeDepot: invoice.modeDepot,
    commentaire: invoice.commentaire ?? null,
    cadreDeFacturation: {
      codeCadreFacturation: submission.cadreDeFacturation.codeCadreFacturation,
      codeValideur1: submission.cadreDeFacturation.codeStructureValideur ?? null,
    },
    destinataire: {
      codeDestinataire: routing.buyer.siret,
      idDestinataire: routing.buyer.idStructureCPP,
      libelleDestinataire: routing.buyer.designation,
      destinataireEtat: routing.buyer.statut,
      codeServiceExecutant: routing.service?.codeService ?? null,
      idServiceExecutant: routing.service?.idService ?? null,
      libelleServiceExecutant: routing.service?.libelleService ?? null,
    },
    fournisseur: {
      codeFournisseur: supplier.siret,
      idFournisseur: supplier.idStructureCPP,
      typeIdentifiantFournisseur: 'SIRET',
      designationFournisseur: supplier.designation,
      idServiceFournisseur: submission.fournisseur.idServiceFournisseur ?? null,
      coordBancairesFournisseurId: submission.fournisseur.codeCoordonneesBancairesFournisseur ?? null,
    },
    references: {
      codeDeviseFacture: submission.references.deviseFacture,
      dateFacture: invoice.dateFacture,
      dateDepot: chorusDate(invoice.depositedAt),
      dateCreationFacture: invoiceDateTime(routing.buyer, invoice.depositedAt),
      typeFacture: submission.references.typeFacture,
      typeTva: submission.references.typeTva,
      motifExonerationTva: submission.references.motifExonerationTva ?? null,
      modePaiement: submission.references.modePaiement,
      numeroBonCommande: routing.numeroBonCommande ?? null,
      numeroMarche: submission.references.numeroMarche ?? null,
      numeroFactureOrigine: submission.references.numeroFactureOrigine ?? null,
      tailleTotalePiecesJointes: invoice.attachments.reduce((acc, a) => acc + a.sizeBytes, 0),
    },
    lignesDePoste: pagedSubList(lineViews(invoice), paging.lines, 'lignePoste', 'LignesPoste'),
    recapitulatifDeTva: pagedSubList(
      vatLineViews(invoice),
      paging.vatLines,
      'ligneTva',
      'LignesRecapitulativesTVA',
    ),
    montantTotal: {
      montantHtTotal: totals.montantHtTotal,
      montantTVA: totals.montantTVA,
      montantTtcAvantRemiseGlobalTTC: discount
        ? fromMicros(toMicros(totals.montantTtcTotal) + toMicros(discount))
        : totals.montantTtcTotal,
      montantRemiseGlobaleTTC: discount,
      motifRemiseGlobaleTTC: totals.motifRemiseGlobaleTTC ?? null,
      montantTtcTotal: totals.montantTtcTotal,
      montantAPayer: totals.montantAPayer,
    },
    pieceJointePrincipale: main
      ? { idPieceJointePrincipale: main.pieceJointeId, idLiaisonPieceJointePrincipale: linkId(invoice, main) }
      : null,
    listeDesPiecesJointes: pagedSubList(
      invoice.attachments.map((a) => attachmentView(invoice, a)),
      paging.attachments,
      'pieceJointe',
      'ListePiecesJointe',
    ),
  };
}

function lineViews(invoice: StoredInvoice): Record<string, unknown>[] {
  return invoice.submission.lignePoste.map((line, i) => {
    const exclVat = lineExclVat(line);
    const vat = line.lignePosteTauxTvaManuel
      ? percentage(exclVat, toMicros(line.lignePosteTauxTvaManuel))
      : null;
    return {
      lignePosteNumero: line.lignePosteNumero ?? i + 1,
      lignePosteReference: line.lignePosteReference ?? null,
      lignePosteDenomination: line.lignePosteDenomination,
      lignePosteQuantite: line.lignePosteQuantite,
      lignePosteUnite: line.lignePosteUnite,
      lignePosteUniteLibelle: line.lignePosteUnite,
      lignePosteMontantUnitaireHT: line.lignePosteMontantUnitaireHT,
      lignePosteMontantRemiseHT: line.lignePosteMontantRemiseHT ?? null,
      lignePosteTauxTva: line.lignePosteTauxTva ?? null,
      lignePosteTauxTvaManuel: line.lignePosteTauxTvaManuel ?? null,
      lignePosteMontantHtApresRemise: fromMicros(exclVat),
      lignePosteMontantTva: vat === null ? null : fromMicros(vat),
      lignePosteMontantTtcApresRemise: vat === null ? null : fromMicros(exclVat + vat),
    };
  });
}

function vatLineViews(invoice: StoredInvoice): Record<string, unknown>[] {
  return invoice.submission.ligneTva.map((line) => ({
    ligneTvaTauxRefCode: line.ligneTvaTaux ?? null,
    ligneTvaTauxManuel: line.ligneTvaTauxManuel ?? null,
    ligneTvaMontantBaseHtParTaux: line.ligneTvaMontantBaseHtParTaux ?? null,
    ligneTvaMontantTvaParTaux: line.ligneTvaMontantTvaParTaux ?? null,
  }));
}

/** The platform gives each (invoice, file) link its own id; derived here so it is stable. */
function linkId(invoice: StoredInvoice, attachment: InvoiceAttachment): number {
  return invoice.identifiantFactureCPP * 100 + invoice.attachments.indexOf(attachment) + 1;
}

function attachmentView(invoice: StoredInvoice, a: InvoiceAttachment): Record<string, unknown> {
  return {
    pieceJointeId: a.pieceJointeId,
    pieceJointeIdLiaison: linkId(invoice, a),
    pieceJointeDesignation: a.designation,
    pieceJointeExtension: a.extension,
    pieceJointeTypeCode: a.main ? 'FACTURE' : (a.typeCode ?? null),
    pieceJointeTypeLibelle: a.main ? 'Facture' : attachmentTypeLabel(a.typeCode),
    pieceJointeNumeroLigneFacture: a.numeroLigneFacture ?? null,
  };
}

function attachmentTypeLabel(code: string | undefined): string | null {
  if (!code) return null;
  return ATTACHMENT_TYPES_BY_OBJECT.FACTURE.find((t) => t.codeTypePieceJointe === code)?.libelleFr ?? code;
}
