/**
 * `soumettre` refusals a person can fix by changing one value of the invoice: the code, and the
 * field of our invoice model it is about. The real codes are not public (docs/chorus-facts.md):
 * these are the simulator's, and a first run against the qualification environment corrects them.
 * A refusal not listed here fails the invoice with Chorus's message.
 */
export const CORRECTABLE_REFUSALS: Readonly<Record<number, readonly string[]>> = {
  20303: ['buyer.siret'], // unknown buyer
  20304: ['buyer.siret'], // inactive buyer
  20305: ['buyer.serviceCode'], // service code required
  20306: ['buyer.serviceCode'], // unknown service
  20307: ['buyer.serviceCode'], // inactive service
  20308: ['buyer.serviceCode'], // FACTURES_PUBLIQUES for a private supplier
  20309: ['references.engagementNumber'], // engagement required
  20310: ['buyer.serviceCode', 'references.engagementNumber'], // one of the two required
  20311: ['references.engagementNumber'], // engagement too long
  20312: ['references.engagementNumber'], // engagement unknown or closed
  20314: ['vatRegime'],
  20315: ['vatExemptionReason'],
  20316: ['paymentMode'],
  20317: ['billingFrame'],
};

export function correctableFields(codeRetour: number): readonly string[] | undefined {
  return CORRECTABLE_REFUSALS[codeRetour];
}
