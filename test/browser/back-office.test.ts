/**
 * The back-office in a real browser (Debian's Chromium driven by playwright-core) against the real
 * stack: embedded Temporal, simulator, worker and API. Each page is saved as a screenshot under
 * test-output/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { credentialsByScenario } from '../../simulator/dataset';
import { invoiceBody, startStack, type Stack } from '../e2e/stack-harness';
import { InvoiceArchiver } from '../../activities/archive/archiver';
import { archivedRuns } from '../../platform/database';
import { createLogger } from '../../platform/logger';

const SHOTS = path.join(__dirname, '../../test-output/screenshots');
const DAY = 86_400;

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

describe('back-office in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  /** The invoice that went through a task to PAID (the auditor looks at it last). */
  let answeredInvoice: string;

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  async function login(key: string) {
    await page.goto(`${stack.api.url}/app/`);
    if (await page.locator('#logout').isVisible()) await page.click('#logout');
    await page.fill('#api-key', key);
    await page.click('button[type=submit]');
  }

  const submit = (scenario: string, overrides: Record<string, unknown> = {}) =>
    stack.submit(invoiceBody(stack, scenario, overrides));

  /** Waits for `count` answers to the page's polling of `path` (the view has refreshed since). */
  async function pollsOf(path: string, count: number) {
    for (let i = 0; i < count; i++) {
      await page.waitForResponse((r) => new URL(r.url()).pathname === path, { timeout: 10_000 });
    }
  }

  /** The `data-focus-key` of the element that has the keyboard focus. */
  const focusKey = () =>
    page.evaluate<string | null>("document.activeElement?.getAttribute('data-focus-key') ?? null");

  const invoicePage = (id: string) => page.goto(`${stack.api.url}/app/#/factures/${encodeURIComponent(id)}`);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startStack();
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'fr-FR' });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('refuses a system key at the login screen, in French', async () => {
    await page.goto(`${stack.api.url}/app/`);
    await page.fill('#api-key', 'dev-key-system');
    await page.click('button[type=submit]');
    await page.locator('[role=alert]', { hasText: 'rôle « system »' }).waitFor();
    await shot('login');
  });

  it('logs out for good: no call is made without the key, and the login form keeps what is typed', async () => {
    await login('dev-key-staff');
    await page.waitForSelector('#tasks');
    await page.click('#logout');
    await page.fill('#api-key', 'dev-key-');
    // Nothing may be polled for longer than one polling period (2 s) once the key is gone.
    await expect(page.waitForRequest((r) => r.url().includes('/v1/'), { timeout: 2_500 })).rejects.toThrow(
      /Timeout/,
    );
    await expect(page.inputValue('#api-key')).resolves.toBe('dev-key-');
    await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('api-key');
    await expect(page.locator('[role=alert]').first().isHidden()).resolves.toBe(true);
  });

  it('shows a missing-engagement task, the field message of a wrong answer, then the invoice reaching PAID at "Suivi"', async () => {
    await login('dev-key-staff');
    await page.locator('#tasks li').first().waitFor();
    const id = await submit('buyer.requires-engagement');
    answeredInvoice = id;
    const task = page.locator(`#tasks [data-invoice-id="${id}"][data-task-kind="MISSING_DATA"]`);
    await task.waitFor();
    await expect(task.textContent()).resolves.toContain('Numéro d’engagement juridique');
    await expect(page.locator('#tasks').textContent()).resolves.not.toContain('requires');
    await expect(page.locator('#task-count').textContent()).resolves.toMatch(/^[1-9]\d*$/);
    await shot('inbox');

    // The list refreshes itself; a keyboard user's focus stays on the task it was on.
    await task.locator('a').focus();
    await pollsOf('/v1/tasks', 2);
    await expect(focusKey()).resolves.toBe(`task:${id}`);

    await task.locator('a').click();
    const field = page.locator('#field-references-engagementNumber');
    await field.waitFor();
    await expect(page.locator('#field-references-engagementNumber-why').textContent()).resolves.toContain(
      'exige un numéro d’engagement (bon de commande)',
    );
    await expect(page.locator('#checklist [data-check="not-draft"]').textContent()).resolves.toContain(
      'La facture est définitive.',
    );
    await field.fill('E'.repeat(60));
    await page.click('#task-form button[type=submit]');
    const message = page.locator('[data-error-for="references.engagementNumber"]');
    await message.waitFor({ state: 'visible' });
    await expect(message.textContent()).resolves.toBe('50 caractères au plus (limite de Chorus Pro)');
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    await shot('task-refused');

    await field.fill('EJ-2026-000123');
    await page.click('#task-form button[type=submit]');
    await page.locator('.success-box').waitFor();
    await page.locator('[data-status="TRACKING"]').first().waitFor({ timeout: 30_000 });
    stack.simulator.ctx.clock.advance(40 * DAY);
    await page.locator('h1 + p [data-status="PAID"]').waitFor({ timeout: 30_000 });
    await expect(page.locator('ol.steps li[aria-current="step"]').textContent()).resolves.toBe('Suivi');
    await expect(page.locator('#chorus-timeline').textContent()).resolves.toContain('MISE_EN_PAIEMENT');
    await expect(page.locator('#chorus-id').textContent()).resolves.toMatch(/n° Chorus Pro \d+/);
    await expect(page.locator('#checklist [data-ok="false"]').count()).resolves.toBe(0);
    await shot('invoice-paid');
  });

  it('shows the exact Chorus payload of an approval task and sends it with "Envoyer"', async () => {
    await login('dev-key-staff');
    const id = await submit('buyer.no-requirement', { requireApproval: true });
    await invoicePage(id);
    await page.locator('#approve').waitFor({ timeout: 30_000 });
    await expect(page.locator('dl.payload').textContent()).resolves.toContain(
      'destinataire.codeDestinataire',
    );
    await expect(page.locator('ol.steps li[aria-current="step"]').textContent()).resolves.toBe('Envoi');
    await shot('approval');
    await page.click('#approve');
    await page.locator('h1 + p [data-status="TRACKING"]').waitFor({ timeout: 30_000 });
  });

  it('shows a red cross and the remedy on a connection with a wrong password, and verifies it again on request', async () => {
    const bad = credentialsByScenario(stack.simulator.ctx.dataset, 'credentials.bad-password');
    const created = await stack.as('admin').post('v1/connections', {
      json: {
        id: 'mauvais-mdp',
        environment: 'simulator',
        supplierSiret: bad.supplierSiret,
        piste: bad.piste,
        technicalAccount: bad.technicalAccount,
      },
    });
    expect(created.statusCode).toBe(202);
    await login('dev-key-admin');
    const card = page.locator('[data-connection="mauvais-mdp"]');
    const failed = card.locator('[data-check="technical-account"][data-result="failed"]');
    await failed.waitFor({ timeout: 30_000 });
    await expect(failed.locator('.cross').count()).resolves.toBe(1);
    await expect(failed.locator('.remedy').textContent()).resolves.toMatch(/^À faire : .*Compte technique/);
    await expect(card.locator('[data-status="FAILED"]').count()).resolves.toBe(1);
    await shot('connections');
    const verify = card.locator('button', { hasText: 'Vérifier maintenant' });
    await verify.focus();
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/v1/connections/mauvais-mdp/verify')),
      page.keyboard.press('Enter'),
    ]);
    await pollsOf('/v1/connections', 1);
    await verify.waitFor();
    // Re-rendered twice (while verifying, then with the result): the keyboard focus stayed on the button.
    await expect(focusKey()).resolves.toBe('verify:mauvais-mdp');
    await expect(page.locator('nav [data-nav="taches"]').isVisible()).resolves.toBe(false);
  });

  it("shows auditors the invoice's audit timeline, read-only", async () => {
    await login('dev-key-auditor');
    await invoicePage(answeredInvoice);
    await page
      .locator('#audit-timeline tr[data-kind="task.answered"]', { hasText: 'key dev-staff' })
      .waitFor({ timeout: 30_000 });
    await expect(page.locator('#audit-timeline tr[data-kind="chorus.submitted"]').count()).resolves.toBe(1);
    await shot('audit');
  });

  it('shows an invoice Temporal has deleted, from the archive: status, Chorus statuses and audit timeline', async () => {
    await stack.client.workflow.getHandle(answeredInvoice).result();
    const archiver = new InvoiceArchiver({
      client: stack.client,
      db: stack.db,
      logger: createLogger({ name: 'browser-archive', level: 'silent' }),
      scope: `TaskQueue = '${stack.taskQueue}'`,
    });
    await stack.waitUntil(async () => {
      await archiver.archiveClosedRuns();
      return (await archivedRuns(stack.db, answeredInvoice)).length > 0 ? true : undefined;
    }, 'the closed run archived');
    const { runId } = await stack.client.workflow.getHandle(answeredInvoice).describe();
    await stack.client.workflowService.deleteWorkflowExecution({
      namespace: stack.client.options.namespace,
      workflowExecution: { workflowId: answeredInvoice, runId },
    });
    await stack.waitUntil(
      () =>
        stack.client.workflow
          .getHandle(answeredInvoice)
          .describe()
          .then(() => undefined)
          .catch(() => true),
      'the workflow deleted from Temporal',
    );

    await login('dev-key-auditor');
    await invoicePage(answeredInvoice);
    await page.locator('#read-source').waitFor({ timeout: 30_000 });
    await expect(page.locator('#read-source').textContent()).resolves.toContain('lue depuis l’archive');
    await expect(page.locator('h1 + p [data-status="PAID"]').count()).resolves.toBe(1);
    await expect(page.locator('#chorus-timeline').textContent()).resolves.toContain('MISE_EN_PAIEMENT');
    await page
      .locator('#audit-timeline tr[data-kind="task.answered"]', { hasText: 'key dev-staff' })
      .waitFor({ timeout: 30_000 });
    await shot('invoice-archived');
  });
});
