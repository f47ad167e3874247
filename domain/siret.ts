/** SIRET = 14 digits whose Luhn checksum is valid (SIREN 9 digits + NIC 5 digits). */
export function isValidSiret(value: string): boolean {
  if (!/^\d{14}$/.test(value)) return false;
  return luhnSum(value) % 10 === 0;
}

function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Double every second digit counted from the right.
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum;
}

/** Appends the Luhn check digit to 13 digits, giving a valid SIRET (used to build test data). */
export function completeSiret(first13: string): string {
  if (!/^\d{13}$/.test(first13)) throw new Error('completeSiret needs exactly 13 digits');
  for (let d = 0; d <= 9; d++) {
    const candidate = `${first13}${d}`;
    if (isValidSiret(candidate)) return candidate;
  }
  throw new Error('unreachable: one check digit always fits');
}
