import { absolute, isDecimal, plainText, times, toMicros, total, type Micros } from '../decimal';
import { refusal, SUBMIT, type Refusal } from './refusals';
import type { InvoiceLine, Submission } from './submission-schema';

/**
 * Amount checks of `soumettre`, in exact micro-units. Chorus's own tolerance is not published;
 * the simulator allows one cent either way so that per-line rounding is not refused.
 */
export const TOLERANCE: Micros = toMicros('0.01');

/** Line amount before VAT: quantity × unit price − line discount. */
export function lineExclVat(line: InvoiceLine): Micros {
  const gross = times(toMicros(line.lignePosteQuantite), toMicros(line.lignePosteMontantUnitaireHT));
  return gross - (line.lignePosteMontantRemiseHT ? toMicros(line.lignePosteMontantRemiseHT) : 0n);
}

function decimalFields(submission: Submission): Array<[string, string | null | undefined]> {
  const t = submission.montantTotal;
  return [
    ['montantTotal.montantHtTotal', t.montantHtTotal],
    ['montantTotal.montantTVA', t.montantTVA],
    ['montantTotal.montantTtcTotal', t.montantTtcTotal],
    ['montantTotal.montantRemiseGlobaleTTC', t.montantRemiseGlobaleTTC],
    ['montantTotal.montantAPayer', t.montantAPayer],
    ...submission.lignePoste.flatMap((l, i): Array<[string, string | null | undefined]> => [
      [`lignePoste[${i}].lignePosteQuantite`, l.lignePosteQuantite],
      [`lignePoste[${i}].lignePosteMontantUnitaireHT`, l.lignePosteMontantUnitaireHT],
      [`lignePoste[${i}].lignePosteMontantRemiseHT`, l.lignePosteMontantRemiseHT],
      [`lignePoste[${i}].lignePosteTauxTvaManuel`, l.lignePosteTauxTvaManuel],
    ]),
    ...submission.ligneTva.flatMap((l, i): Array<[string, string | null | undefined]> => [
      [`ligneTva[${i}].ligneTvaTauxManuel`, l.ligneTvaTauxManuel],
      [`ligneTva[${i}].ligneTvaMontantBaseHtParTaux`, l.ligneTvaMontantBaseHtParTaux],
      [`ligneTva[${i}].ligneTvaMontantTvaParTaux`, l.ligneTvaMontantTvaParTaux],
    ]),
  ];
}

/** Every amount is a decimal with at most 6 decimals; Σ lines = HT; HT + TVA − global discount = TTC. */
export function checkAmounts(submission: Submission): Refusal | undefined {
  for (const [field, value] of decimalFields(submission)) {
    if (value == null) continue;
    if (!isDecimal(value)) {
      return refusal(
        SUBMIT.MONTANT_INVALIDE,
        `Le montant « ${field} » n'est pas un nombre décimal valide (au plus 6 décimales) : « ${value} »`,
      );
    }
  }

  const totals = submission.montantTotal;
  const exclVat = toMicros(totals.montantHtTotal);
  if (submission.lignePoste.length > 0) {
    const linesTotal = total(submission.lignePoste.map(lineExclVat));
    if (absolute(linesTotal - exclVat) > TOLERANCE) {
      return refusal(
        SUBMIT.TOTAL_HT_INCOHERENT,
        `Le montant HT total (${plainText(exclVat)}) ne correspond pas à la somme des lignes de poste (${plainText(linesTotal)})`,
      );
    }
  }

  const vat = toMicros(totals.montantTVA);
  const discount = totals.montantRemiseGlobaleTTC ? toMicros(totals.montantRemiseGlobaleTTC) : 0n;
  const inclVat = toMicros(totals.montantTtcTotal);
  const expected = exclVat + vat - discount;
  if (absolute(expected - inclVat) > TOLERANCE) {
    return refusal(
      SUBMIT.TOTAL_TTC_INCOHERENT,
      `Le montant TTC total (${plainText(inclVat)}) est différent de HT + TVA − remise globale (${plainText(expected)})`,
    );
  }
  return undefined;
}
