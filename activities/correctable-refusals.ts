import { REFUSALS_FOR_A_PERSON } from './chorus/uncertain-facts';

/**
 * `soumettre` refusals a person can fix by changing one value of the invoice: the code, and the
 * field of our invoice model it is about (REFUSALS_FOR_A_PERSON in activities/chorus/uncertain-facts.ts,
 * the one home of codes no public contract confirms; docs/chorus-facts.md). A refusal not listed here
 * fails the invoice with Chorus's message.
 */
export const CORRECTABLE_REFUSALS: Readonly<Record<number, readonly string[]>> = Object.fromEntries(
  Object.entries(REFUSALS_FOR_A_PERSON.value)
    .filter(([, refusal]) => refusal.fields.length > 0)
    .map(([code, refusal]) => [Number(code), refusal.fields]),
);

export function correctableFields(codeRetour: number): readonly string[] | undefined {
  return CORRECTABLE_REFUSALS[codeRetour];
}
