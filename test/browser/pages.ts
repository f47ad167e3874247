/**
 * What the back-office browser tests share: Chromium, logging in as a named person, screenshots,
 * and the scan that keeps English and raw codes off the French pages.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

export const SHOTS = path.join(__dirname, '../../test-output/screenshots');

/** CHROMIUM_PATH, or Debian's chromium (`./run test` installs it when it can). */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p): p is string => Boolean(p && existsSync(p)));
  if (!found) {
    throw new Error(
      'No Chromium found: install Debian\'s "chromium" package (./run test does it as root) or set CHROMIUM_PATH.',
    );
  }
  return found;
}

export function shooter(page: () => Page) {
  mkdirSync(SHOTS, { recursive: true });
  return (name: string) => page().screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Logs in from a fresh page (the tab's session cleared first, so no earlier session can answer
 * late), as `person` with `key`, and waits until the header names them.
 */
export async function login(page: Page, base: string, key: string, person: string): Promise<void> {
  await page.goto(`${base}/app/`);
  await page.evaluate('sessionStorage.clear()');
  await page.reload();
  await page.locator('#api-key').waitFor();
  await page.fill('#person', person);
  await page.fill('#api-key', key);
  await page.click('button[type=submit]');
  await page.locator('#who', { hasText: person }).waitFor();
}

/** The text a person reads in `selector` (closed `<details>` opened first when asked). */
export async function readableText(page: Page, selector: string, openDetails = true): Promise<string> {
  if (openDetails) {
    await page.evaluate(`document.querySelectorAll('${selector} details').forEach((d) => (d.open = true))`);
  }
  return page.locator(selector).innerText();
}

/** Common English words that are not French words too (« comment », « service », « date »… are). */
const ENGLISH = new Set(
  (
    'the and of to was is are with for by at from into this that which has have been be not no none ' +
    'invoice invoices received status task tasks answered opened closed missing data required payment ' +
    'paid sent submitted submission tracking tracker checklist passed failed key attempt after before ' +
    'buyer supplier connection timer reminder run started ended continued approved refused waiting ' +
    'found lookup deposited issued ordered awaiting checking uploading rejected cancelled unknown ' +
    'someone number numbers field fields value values answer reason again error' +
    ' check checks verified verify pending done yes'
  ).split(' '),
);

/** A code as the API spells it: MISE_EN_PAIEMENT, TVA_SUR_DEBIT, references.engagementNumber, codeServiceExecutant. */
const RAW_CODE = [/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/, /^[a-z]+[A-Z]\w*$/, /^[a-z]\w*(?:\.[a-z]\w*)+$/];

/**
 * Words of `text` that are English or raw codes, but those in `allowed` (identifiers a person
 * needs to see as they are: invoice numbers, SIRETs, key ids, Chorus Pro operation names…).
 */
export function englishOrCodes(text: string, allowed: string[]): string[] {
  const allow = new Set(allowed.map((a) => a.toLowerCase()));
  const found = new Set<string>();
  for (const raw of text.split(/[\s«»"“”()[\]{},;:!?·—–=…]+/)) {
    const word = raw.replace(/^['’.-]+|['’.-]+$/g, '');
    if (!word || allow.has(word.toLowerCase())) continue;
    if (ENGLISH.has(word.toLowerCase()) || RAW_CODE.some((pattern) => pattern.test(word))) found.add(word);
  }
  return [...found].sort();
}

/**
 * Waits until `expression` (run in the page) is true. The pages' content security policy forbids
 * eval, which `page.waitForFunction` uses for a string; `page.evaluate` does not need it.
 */
export async function until(page: Page, expression: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
    if (Date.now() > deadline) throw new Error(`Still false after ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
