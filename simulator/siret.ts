/**
 * SIRET check digits, written for the simulator alone: the product validates SIRETs with its own
 * code, and a bug shared by both sides would hide from the tests.
 */

/** Luhn sum of a digit string, doubling every second digit from the right. */
function luhnSum(digits: string): number {
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    total += digit;
  }
  return total;
}

export function isLuhnValidSiret(siret: string): boolean {
  return /^\d{14}$/.test(siret) && luhnSum(siret) % 10 === 0;
}

/** The 14-digit SIRET whose first 13 digits are given (the data set is written that way). */
export function siretFrom(first13: string): string {
  if (!/^\d{13}$/.test(first13))
    throw new Error(`a SIRET needs 13 digits before its check digit: ${first13}`);
  const checkDigit = (10 - (luhnSum(`${first13}0`) % 10)) % 10;
  return `${first13}${checkDigit}`;
}
