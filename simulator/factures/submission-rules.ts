import type { CallerIdentity, SimulatorContext } from '../context';
import { supplierStructuresOf } from '../context';
import type { StructureRecord } from '../dataset';
import { checkAmounts } from './amounts';
import { checkSubmissionAttachments, totalSizeRefusal } from './attachments';
import { isCalendarDate } from './dates';
import { parseRequest } from './request-fields';
import { refusal, SUBMIT, type Refusal } from './refusals';
import { buyerBySiret, checkRouting } from './routing-rules';
import type { InvoiceAttachment, InvoiceRouting, InvoiceStore, StoredInvoice } from './store';
import {
  BILLING_FRAMES,
  DEPOSIT_MODES,
  INVOICE_TYPES,
  PAYMENT_MODES,
  SubmissionSchema,
  VAT_TYPES,
  type DepositMode,
  type Submission,
} from './submission-schema';

/** The checks of `soumettre`, in the order a supplier would fix them. */

export interface AcceptedSubmission {
  submission: Submission;
  modeDepot: DepositMode;
  supplier: StructureRecord;
  numeroFacture: string;
  dateFacture?: string;
  routing: InvoiceRouting;
  attachments: InvoiceAttachment[];
}

export type SubmissionCheck =
  { ok: true; accepted: AcceptedSubmission } | { ok: false; refusal: Refusal; duplicateOf?: StoredInvoice };

const INVOICE_NUMBER = /^[A-Za-z0-9\-_/+]{1,20}$/;
const CURRENCY = /^[A-Z]{3}$/;
const MAX_COMMENT = 2000;

function oneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

const isPdfMode = (mode: DepositMode) => mode !== 'SAISIE_API';

export function validateSubmission(
  ctx: SimulatorContext,
  caller: CallerIdentity,
  store: InvoiceStore,
  body: unknown,
): SubmissionCheck {
  const fail = (r: Refusal): SubmissionCheck => ({ ok: false, refusal: r });

  const parsed = parseRequest(SubmissionSchema, body, SUBMIT.CHAMP_OBLIGATOIRE);
  if (!parsed.ok) return fail(parsed.refusal);
  const submission = parsed.value;

  const modeDepot = submission.modeDepot;
  if (!oneOf(DEPOSIT_MODES, modeDepot)) {
    return fail(
      refusal(
        SUBMIT.MODE_DEPOT,
        `Le mode de dépôt ${modeDepot} n'est pas accepté (${DEPOSIT_MODES.join(', ')})`,
      ),
    );
  }

  const supplierId = submission.fournisseur.idFournisseur;
  const supplier = supplierStructuresOf(ctx, caller).find((s) => s.idStructureCPP === supplierId);
  if (!supplier) {
    return fail(
      refusal(
        SUBMIT.DROITS_FOURNISSEUR,
        `Le compte technique n'a pas les droits pour déposer une facture pour la structure fournisseur ${supplierId}`,
      ),
    );
  }

  // A renumbering buyer's invoices get Chorus's own number whatever the supplier typed.
  const renumbered = buyerBySiret(
    ctx.dataset,
    submission.destinataire.codeDestinataire.trim(),
  )?.renumbersInvoices;
  const givenNumber = renumbered ? undefined : submission.numeroFactureSaisi?.trim();
  if (!givenNumber && !renumbered && isPdfMode(modeDepot)) {
    return fail(
      refusal(SUBMIT.NUMERO_FACTURE_ABSENT, `Le numéro de facture est obligatoire en mode ${modeDepot}`),
    );
  }
  if (givenNumber && !INVOICE_NUMBER.test(givenNumber)) {
    return fail(
      refusal(
        SUBMIT.NUMERO_FACTURE_INVALIDE,
        `Le numéro de facture « ${givenNumber} » est invalide : 20 caractères au plus, lettres, chiffres et - _ / + uniquement`,
      ),
    );
  }
  if (givenNumber) {
    const existing = store.findByNumber(supplier.idStructureCPP, givenNumber);
    if (existing) {
      return {
        ok: false,
        duplicateOf: existing,
        refusal: refusal(
          SUBMIT.DOUBLON,
          'Vous avez déjà déposé une demande de paiement avec ce numéro de facture pour cette structure',
        ),
      };
    }
  }

  const dateFacture = submission.dateFacture?.trim() || undefined;
  if (dateFacture === undefined && isPdfMode(modeDepot)) {
    return fail(refusal(SUBMIT.DATE_FACTURE, `La date de facture est obligatoire en mode ${modeDepot}`));
  }
  if (dateFacture !== undefined && !isCalendarDate(dateFacture)) {
    return fail(
      refusal(SUBMIT.DATE_FACTURE, `La date de facture « ${dateFacture} » doit être au format AAAA-MM-JJ`),
    );
  }

  const routing = checkRouting(ctx.dataset, supplier, {
    codeDestinataire: submission.destinataire.codeDestinataire,
    codeServiceExecutant: submission.destinataire.codeServiceExecutant,
    numeroBonCommande: submission.references.numeroBonCommande,
  });
  if (!routing.ok) return fail(refusal(SUBMIT[routing.rule], routing.libelle));

  const rules =
    checkReferences(submission) ??
    checkValidator(ctx, submission) ??
    checkBankDetails(supplier, submission) ??
    checkLines(submission, modeDepot) ??
    checkAmounts(submission);
  if (rules) return fail(rules);

  const checked = checkSubmissionAttachments(ctx.files, caller.account.login, submission);
  const attachments = checked.ok ? (totalSizeRefusal(checked.attachments) ?? checked) : checked;
  if (!attachments.ok) {
    const code = {
      reference: SUBMIT.PIECE_JOINTE,
      type: SUBMIT.TYPE_PIECE_JOINTE,
      'total-size': SUBMIT.TAILLE_TOTALE,
    };
    return fail(refusal(code[attachments.rule], attachments.libelle));
  }
  if (isPdfMode(modeDepot) && !attachments.attachments.some((a) => a.main)) {
    return fail(
      refusal(
        SUBMIT.PIECE_JOINTE_PRINCIPALE_ABSENTE,
        `Une pièce jointe principale (la facture PDF) est obligatoire en mode ${modeDepot}`,
      ),
    );
  }
  if (submission.commentaire && submission.commentaire.length > MAX_COMMENT) {
    return fail(refusal(SUBMIT.LONGUEUR, `Le commentaire dépasse ${MAX_COMMENT} caractères`));
  }

  const numeroFacture =
    givenNumber ?? store.generateNumber(supplier.idStructureCPP, ctx.clock.now().getUTCFullYear());
  return {
    ok: true,
    accepted: {
      submission,
      modeDepot,
      supplier,
      numeroFacture,
      ...(dateFacture ? { dateFacture } : {}),
      routing: routing.routing,
      attachments: attachments.attachments,
    },
  };
}

function checkReferences(submission: Submission): Refusal | undefined {
  const { references, cadreDeFacturation } = submission;
  if (!oneOf(BILLING_FRAMES, cadreDeFacturation.codeCadreFacturation)) {
    return refusal(
      SUBMIT.CADRE_FACTURATION,
      `Le cadre de facturation ${cadreDeFacturation.codeCadreFacturation} est inconnu (${BILLING_FRAMES.join(', ')})`,
    );
  }
  if (!CURRENCY.test(references.deviseFacture)) {
    return refusal(SUBMIT.DEVISE, `La devise ${references.deviseFacture} n'est pas un code ISO 4217`);
  }
  if (!oneOf(INVOICE_TYPES, references.typeFacture)) {
    return refusal(
      SUBMIT.TYPE_FACTURE,
      `Le type de facture ${references.typeFacture} est inconnu (${INVOICE_TYPES.join(', ')})`,
    );
  }
  if (references.typeFacture === 'AVOIR' && !references.numeroFactureOrigine?.trim()) {
    return refusal(
      SUBMIT.TYPE_FACTURE,
      'Un avoir doit indiquer le numéro de la facture d’origine (references.numeroFactureOrigine)',
    );
  }
  if (!oneOf(VAT_TYPES, references.typeTva)) {
    return refusal(
      SUBMIT.TYPE_TVA,
      `Le type de TVA ${references.typeTva} est inconnu (${VAT_TYPES.join(', ')})`,
    );
  }
  if (references.typeTva === 'EXONERATION' && !references.motifExonerationTva?.trim()) {
    return refusal(
      SUBMIT.MOTIF_EXONERATION,
      'Le motif d’exonération de TVA est obligatoire lorsque le type de TVA est EXONERATION',
    );
  }
  if (!oneOf(PAYMENT_MODES, references.modePaiement)) {
    return refusal(
      SUBMIT.MODE_PAIEMENT,
      `Le mode de paiement ${references.modePaiement} est inconnu (${PAYMENT_MODES.join(', ')})`,
    );
  }
  return undefined;
}

/** Frames whose invoices a validator (the main contractor or the lead co-contractor) validates first. */
export const VALIDATOR_FRAMES: readonly string[] = ['A9_FACTURE_SOUSTRAITANT', 'A12_FACTURE_COTRAITANT'];

function checkValidator(ctx: SimulatorContext, submission: Submission): Refusal | undefined {
  const frame = submission.cadreDeFacturation.codeCadreFacturation;
  if (!VALIDATOR_FRAMES.includes(frame)) return undefined;
  const validator = submission.cadreDeFacturation.codeStructureValideur?.trim();
  if (!validator) {
    return refusal(
      SUBMIT.VALIDEUR_ABSENT,
      `Le cadre de facturation ${frame} exige la structure valideuse (cadreDeFacturation.codeStructureValideur)`,
    );
  }
  const known = ctx.dataset.structures.find((s) => s.siret === validator && s.statut === 'ACTIVE');
  if (!known) {
    return refusal(
      SUBMIT.VALIDEUR_INCONNU,
      `La structure valideuse ${validator} n'est pas une structure active connue de Chorus Pro`,
    );
  }
  return undefined;
}

/** A bank account must be one of the supplier's valid ones; some suppliers must name one for VIREMENT. */
function checkBankDetails(supplier: StructureRecord, submission: Submission): Refusal | undefined {
  const account = submission.fournisseur.codeCoordonneesBancairesFournisseur;
  if (account != null) {
    if (!(supplier.bankAccountIds ?? []).includes(account)) {
      return refusal(
        SUBMIT.COORDONNEES_BANCAIRES_INCONNUES,
        `Les coordonnées bancaires ${account} ne sont pas des coordonnées valides de la structure ${supplier.siret} (transverses/v1/recuperer/coordbanc/valides)`,
      );
    }
    return undefined;
  }
  if (submission.references.modePaiement === 'VIREMENT' && supplier.bankDetailsRequiredForTransfer) {
    return refusal(
      SUBMIT.COORDONNEES_BANCAIRES_ABSENTES,
      `Le mode de paiement VIREMENT exige les coordonnées bancaires du fournisseur (fournisseur.codeCoordonneesBancairesFournisseur) pour la structure ${supplier.siret}`,
    );
  }
  return undefined;
}

function checkLines(submission: Submission, modeDepot: DepositMode): Refusal | undefined {
  if (modeDepot === 'SAISIE_API' && submission.lignePoste.length === 0) {
    return refusal(
      SUBMIT.LIGNES_ABSENTES,
      'Une facture saisie (SAISIE_API) doit comporter au moins une ligne de poste',
    );
  }
  const withoutRate = submission.lignePoste.findIndex(
    (l) =>
      !l.lignePosteTauxTva?.trim() && (l.lignePosteTauxTvaManuel == null || l.lignePosteTauxTvaManuel === ''),
  );
  if (withoutRate >= 0) {
    return refusal(
      SUBMIT.CHAMP_OBLIGATOIRE,
      `La ligne de poste ${withoutRate + 1} n'a pas de taux de TVA (lignePosteTauxTva ou lignePosteTauxTvaManuel)`,
    );
  }
  return undefined;
}
