/**
 * The back-office in a real browser (Debian's Chromium driven by playwright-core) against the real
 * stack: embedded Temporal, simulator, worker and API. A clerk, an auditor and an admin at work,
 * in French; each page is saved as a screenshot under test-output/screenshots/. Every wait is on
 * a condition the page shows, never on time.
 */
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { credentialsByScenario } from '../../simulator/dataset';
import { invoiceBody, startStack, type Stack } from '../e2e/stack-harness';
import { InvoiceArchiver } from '../../worker/archiver';
import { archivedRuns } from '../../platform/database';
import { createLogger } from '../../platform/logger';
import { chromiumPath, englishOrCodes, login, readableText, shooter, until } from './pages';

const DAY = 86_400;
const MARIE = 'Marie Dupont';
const PAUL = 'Paul Martin';
const ALICE = 'Alice Bernard';
/** Whitespace as the eye reads it (French typography puts narrow no-break spaces in amounts). */
const plain = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

describe('back-office in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  /** The invoice that went through a task to PAID (the auditor and the phone look at it later). */
  let paid: { id: string; number: string };

  const shot = shooter(() => page);
  const submit = (scenario: string, overrides: Record<string, unknown> = {}) =>
    stack.submit(invoiceBody(stack, scenario, overrides));
  const invoicePage = (id: string) => page.goto(`${stack.api.url}/app/#/factures/${encodeURIComponent(id)}`);
  const numberOf = (id: string) => id.split(':').slice(2).join(':');
  /** Waits for `count` answers to the page's polling of `path` (the view has refreshed since). */
  async function pollsOf(path: string, count: number) {
    for (let i = 0; i < count; i++) {
      await page.waitForResponse((r) => new URL(r.url()).pathname === path, { timeout: 15_000 });
    }
  }
  /** The `data-focus-key` (or id) of the element that has the keyboard focus. */
  const focused = () =>
    page.evaluate<string | null>(
      "document.activeElement?.getAttribute('data-focus-key') ?? document.activeElement?.id ?? null",
    );
  const status = (value: string) => page.locator(`h1 + p [data-status="${value}"]`);

  beforeAll(async () => {
    stack = await startStack();
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'fr-FR' });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('asks who is working and refuses a system key, in French, with no menu before login', async () => {
    await page.goto(`${stack.api.url}/app/`);
    await page.locator('#api-key').waitFor();
    await expect(page.locator('header.top').isVisible()).resolves.toBe(false);
    await expect(page.title()).resolves.toBe('Connexion au back-office — Chorus Pro · back-office');
    await page.fill('#api-key', 'dev-key-staff');
    await page.click('button[type=submit]');
    await page.locator('[role=alert]', { hasText: 'Indiquez qui travaille' }).waitFor();
    await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('person');
    await page.fill('#person', MARIE);
    await page.fill('#api-key', 'dev-key-system');
    await page.click('button[type=submit]');
    await page.locator('[role=alert]', { hasText: 'rôle « system »' }).waitFor();
    await expect(page.locator('header.top').isVisible()).resolves.toBe(false);
    await shot('login');
  });

  it('logs out for good: the menu goes, no call is made without the key, the login form keeps what is typed', async () => {
    await login(page, stack.api.url, 'dev-key-staff', MARIE);
    await page.locator('#tasks').waitFor();
    await page.click('#logout');
    await page.locator('#api-key').waitFor();
    await expect(page.locator('header.top').isVisible()).resolves.toBe(false);
    await page.fill('#api-key', 'dev-key-');
    // Nothing may be polled for longer than one polling period (2 s) once the key is gone.
    await expect(page.waitForRequest((r) => r.url().includes('/v1/'), { timeout: 2_500 })).rejects.toThrow(
      /Timeout/,
    );
    await expect(page.inputValue('#api-key')).resolves.toBe('dev-key-');
    await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('api-key');
    await expect(page.locator('[role=alert]').first().isHidden()).resolves.toBe(true);
  });

  it('a missing engagement: loading, the task, a wrong answer refused on its field, the right one by a named person, then PAID', async () => {
    const id = await submit('buyer.requires-engagement');
    paid = { id, number: numberOf(id) };
    // The inbox says it is loading until its first answer (held here until the page shows it).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/v1/tasks', async (route) => {
      await held;
      await route.continue();
    });
    await login(page, stack.api.url, 'dev-key-staff', MARIE);
    await page.locator('#tasks[aria-busy="true"]', { hasText: 'Chargement…' }).waitFor();
    release();
    await page.unrouteAll({ behavior: 'wait' });
    await expect(page.title()).resolves.toBe('Tâches ouvertes — Chorus Pro · back-office');

    const task = page.locator(`#tasks [data-invoice-id="${id}"][data-task-kind="MISSING_DATA"]`);
    await task.waitFor({ timeout: 60_000 });
    await expect(task.textContent()).resolves.toContain('Numéro d’engagement juridique');
    await expect(task.textContent()).resolves.toContain('PREFECTURE DU VAL D EXEMPLE');
    // The badge refreshes on its own poll: wait for it to count the task, rather than read it at once.
    await until(page, "/^[1-9]\\d*$/.test(document.querySelector('#task-count')?.textContent ?? '')");
    await shot('inbox');
    await page.selectOption('#filter-kind', 'DUPLICATE_NUMBER');
    await page.locator('#tasks .empty', { hasText: 'Aucune tâche ouverte.' }).waitFor();
    await page.selectOption('#filter-kind', '');
    await task.waitFor();

    // The list refreshes itself; a keyboard user's focus stays on the task it was on.
    await task.locator('a').focus();
    await pollsOf('/v1/tasks', 2);
    await expect(focused()).resolves.toBe(`task:${id}`);

    await task.locator('a').click();
    const field = page.locator('#field-references-engagementNumber');
    await field.waitFor();
    await expect(page.title()).resolves.toBe(`Facture ${paid.number} — Chorus Pro · back-office`);
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
    // The result takes the focus, and says where the next task is.
    await page.locator('#task-result #next-task').waitFor();
    await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('task-result');
    await status('TRACKING').waitFor({ timeout: 60_000 });
    stack.simulator.ctx.clock.advance(40 * DAY);
    await status('PAID').waitFor({ timeout: 60_000 });
    await expect(page.locator('ol.steps li[aria-current="step"]').textContent()).resolves.toBe('Suivi');
    await expect(page.locator('#chorus-timeline').textContent()).resolves.toContain('Mise en paiement');
    await expect(page.locator('#chorus-status').textContent()).resolves.toBe('Chorus Pro : Mise en paiement');
    await expect(page.locator('#chorus-id').textContent()).resolves.toMatch(/n° Chorus Pro \d+/);
    await expect(page.locator('#checklist [data-ok="false"]').count()).resolves.toBe(0);
    await expect(page.locator('#checklist').textContent()).resolves.toContain('TVA sur les débits');
    await expect(page.locator('#journey').textContent()).resolves.toContain(
      `traitée par ${MARIE} (clé dev-staff)`,
    );
    await page
      .locator('#audit-timeline tr[data-kind="task.answered"]', { hasText: `${MARIE} (clé dev-staff)` })
      .waitFor({ timeout: 30_000 });
    await shot('invoice-paid');
  });

  it('either/or: a buyer that accepts a service code or an engagement number, answered with the service code only', async () => {
    await login(page, stack.api.url, 'dev-key-staff', MARIE);
    const id = await submit('buyer.service-or-engagement');
    await invoicePage(id);
    const group = page.locator('#task-form fieldset.one-of');
    await group.waitFor({ timeout: 60_000 });
    await expect(group.locator('legend').textContent()).resolves.toBe('L’un ou l’autre');
    await expect(group.locator('[data-field]').count()).resolves.toBe(2);
    // Neither is required on its own: the browser never blocks an answer with one.
    await expect(group.locator('[required], [aria-required]').count()).resolves.toBe(0);
    await page.click('#task-form button[type=submit]');
    await group
      .locator('[data-error-for-group]', { hasText: 'Renseignez au moins un de ces champs.' })
      .waitFor();
    await expect(
      page.locator('#field-buyer-serviceCode option[value="LABO-CHIMIE"]').textContent(),
    ).resolves.toBe('LABO-CHIMIE — Laboratoire de chimie');
    await shot('task-either-or');
    await page.selectOption('#field-buyer-serviceCode', 'LABO-CHIMIE');
    await page.click('#task-form button[type=submit]');
    await page.locator('#task-result', { hasText: 'Réponse enregistrée' }).waitFor();
    await status('TRACKING').waitFor({ timeout: 60_000 });
  });

  it('a closed engagement refused by Chorus Pro: a correction task shows the refused value on its field, then a good one reaches PAID', async () => {
    await login(page, stack.api.url, 'dev-key-staff', MARIE);
    const id = await submit('buyer.requires-engagement', {
      references: { engagementNumber: 'EJ-2025-000099' },
    });
    await invoicePage(id);
    await page.locator('#task-form[data-task-kind="CORRECTION"]').waitFor({ timeout: 60_000 });
    const field = page.locator('#field-references-engagementNumber');
    const error = page.locator('[data-error-for="references.engagementNumber"]');
    await expect(error.isVisible()).resolves.toBe(true);
    await expect(error.textContent()).resolves.toMatch(
      /^Votre réponse a été refusée : « EJ-2025-000099 »\. Chorus Pro a refusé cette valeur : .*EJ-2025-000099/,
    );
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#status-reason').textContent()).resolves.toContain(
      'Chorus Pro a refusé la facture',
    );
    await shot('task-correction');
    // The same value again is stopped before it leaves the page.
    await field.fill('EJ-2025-000099');
    await page.click('#task-form button[type=submit]');
    await error.filter({ hasText: 'Cette valeur a été refusée' }).waitFor();
    await field.fill('EJ-2026-000123');
    await page.click('#task-form button[type=submit]');
    await page.locator('#task-result', { hasText: 'Réponse enregistrée' }).waitFor();
    await status('TRACKING').waitFor({ timeout: 60_000 });
    stack.simulator.ctx.clock.advance(40 * DAY);
    await status('PAID').waitFor({ timeout: 60_000 });
  });

  it('an engagement Chorus Pro’s search does not know: corrected, or confirmed as it is with a checkbox', async () => {
    const valid = credentialsByScenario(stack.simulator.ctx.dataset, 'credentials.valid');
    const created = await stack.as('admin').post('v1/connections', {
      json: {
        id: 'avec-engagements',
        environment: 'simulator',
        supplierSiret: valid.supplierSiret,
        piste: valid.piste,
        technicalAccount: valid.technicalAccount,
        engagementCheck: true,
      },
    });
    expect(created.statusCode).toBe(202);
    await login(page, stack.api.url, 'dev-key-staff', MARIE);
    const id = await stack.submit({
      ...invoiceBody(stack, 'buyer.requires-engagement'),
      connectionId: 'avec-engagements',
      references: { engagementNumber: 'BC-MAIRIE-2026-17' },
    });
    await invoicePage(id);
    const group = page.locator('#task-form fieldset.one-of');
    await group.waitFor({ timeout: 60_000 });
    const confirm = page.locator('#field-references-engagementConfirmed');
    await expect(confirm.getAttribute('type')).resolves.toBe('checkbox');
    await expect(
      group.locator('label[for="field-references-engagementConfirmed"]').textContent(),
    ).resolves.toBe('Confirmer le numéro d’engagement tel quel.');
    await confirm.check();
    await page.click('#task-form button[type=submit]');
    await page.locator('#task-result', { hasText: 'Réponse enregistrée' }).waitFor();
    await page
      .locator('#audit-timeline tr[data-kind="task.answered"]', {
        hasText: 'Confirmation du numéro d’engagement = « oui »',
      })
      .waitFor({ timeout: 30_000 });
    // The checklist, evaluated again, takes the person's word for it.
    await page
      .locator('#checklist [data-check="engagement-exists"][data-ok="true"]', {
        hasText:
          'L’engagement BC-MAIRIE-2026-17 ne figure pas dans la recherche de Chorus Pro ; une personne l’a confirmé.',
      })
      .waitFor({ timeout: 30_000 });
  });

  it('approval: a summary a person can judge, the exact payload folded; « Refuser » asks a reason, recorded and shown', async () => {
    await login(page, stack.api.url, 'dev-key-staff', MARIE);
    const id = await submit('buyer.no-requirement', {
      requireApproval: true,
      attachments: [
        {
          fileName: 'bon-de-livraison.pdf',
          contentBase64: Buffer.from('%PDF-1.4 bon de livraison').toString('base64'),
          type: 'Bon de livraison',
        },
      ],
    });
    await invoicePage(id);
    const summary = page.locator('#approval-summary');
    await summary.waitFor({ timeout: 60_000 });
    const fact = async (key: string) => plain(await summary.locator(`[data-fact="${key}"]`).textContent());
    await expect(fact('buyer')).resolves.toMatch(/^COMMUNE DE SAINT-EXEMPLE \(SIRET \d{14}\)$/);
    await expect(fact('billingFrame')).resolves.toBe('A1 – Dépôt par un fournisseur d’une facture');
    await expect(fact('vatRegime')).resolves.toBe('TVA sur les débits');
    await expect(fact('paymentMode')).resolves.toBe('Virement');
    // 2 × 150,00 + 45,50 = 345,50 HT; 20 % of VAT.
    await expect(fact('totalExclVat')).resolves.toBe('345,50 €');
    await expect(fact('totalVat')).resolves.toBe('69,10 €');
    await expect(fact('totalInclVat')).resolves.toBe('414,60 €');
    await expect(summary.locator('#approval-lines tbody tr').count()).resolves.toBe(2);
    await expect(plain(await summary.locator('#approval-lines').textContent())).toContain(
      'Maintenance chaudière',
    );
    await expect(summary.locator('#approval-attachments').textContent()).resolves.toBe(
      'bon-de-livraison.pdf (Bon de livraison)',
    );
    // The exact payload is there for whoever wants it, folded.
    await expect(page.locator('#approval-payload').getAttribute('open')).resolves.toBeNull();
    await expect(page.locator('#approval-payload dl.payload').textContent()).resolves.toContain(
      'destinataire.codeDestinataire',
    );
    await expect(page.locator('ol.steps li[aria-current="step"]').textContent()).resolves.toBe('Envoi');
    await shot('approval');

    await page.click('#refuse');
    await page.locator('#refusal-reason').waitFor();
    await page.click('#confirm-refusal');
    await page.locator('#refusal-error', { hasText: 'Indiquez le motif.' }).waitFor();
    await page.fill('#refusal-reason', 'Prix unitaire erroné sur la ligne 1');
    await page.click('#confirm-refusal');
    await status('CANCELLED').waitFor({ timeout: 60_000 });
    await expect(page.locator('#status-reason').textContent()).resolves.toBe(
      'non validée : Prix unitaire erroné sur la ligne 1',
    );
    const answered = page.locator('#audit-timeline tr[data-kind="task.answered"]');
    await answered.filter({ hasText: 'Prix unitaire erroné sur la ligne 1' }).waitFor({ timeout: 30_000 });
    await expect(answered.textContent()).resolves.toContain(`traitée par ${MARIE} (clé dev-staff) : refusée`);
  });

  it('cancels an invoice before it is sent, with the reason, in the name of the person', async () => {
    await login(page, stack.api.url, 'dev-key-staff', MARIE);
    const id = await submit('buyer.requires-service');
    await invoicePage(id);
    await page.locator('#cancel-invoice').waitFor({ timeout: 60_000 });
    await page.click('#cancel-invoice');
    await page.fill('#cancel-reason', 'Commande annulée par le client');
    await page.click('#confirm-cancel');
    await status('CANCELLED').waitFor({ timeout: 60_000 });
    await page
      .locator('#audit-timeline tr[data-kind="cancel.requested"]', {
        hasText: `Annulation demandée par ${MARIE} (clé dev-staff), motif « Commande annulée par le client »`,
      })
      .waitFor({ timeout: 30_000 });
    await expect(page.locator('#cancel-invoice').isVisible()).resolves.toBe(false);
  });

  it('finds invoices by part of the number or of the buyer name in any case, and filters Chorus statuses by their French label', async () => {
    await login(page, stack.api.url, 'dev-key-staff', MARIE);
    await page.goto(`${stack.api.url}/app/#/factures`);
    await page.locator('#invoices tr[data-invoice-id]').first().waitFor({ timeout: 30_000 });
    await page.fill('#filter-search', paid.number.slice(2).toLowerCase());
    await page.click('form[role=search] button[type=submit]');
    await until(
      page,
      `[...document.querySelectorAll('#invoices tr[data-invoice-id]')].map((r) => r.dataset.invoiceId).join() === ${JSON.stringify(paid.id)}`,
    );
    await page.fill('#filter-search', 'préfecture du val');
    await page.click('form[role=search] button[type=submit]');
    // Every row is the Préfecture's (searched without its case or accent), and there are several.
    await until(
      page,
      `(() => {
      const buyers = [...document.querySelectorAll('#invoices td[data-label="Acheteur"]')].map((c) => c.textContent);
      return buyers.length >= 2 && buyers.every((b) => /^PREFECTURE DU VAL D EXEMPLE \\(SIRET \\d{14}\\)$/.test(b));
    })()`,
    );
    const chorusCells = `[...document.querySelectorAll('#invoices td[data-label="Statut Chorus Pro"]')].map((c) => c.textContent)`;
    await page.fill('#filter-search', '');
    await page.click('form[role=search] button[type=submit]');
    await until(page, `${chorusCells}.some((c) => c !== 'Mise en paiement')`);
    await page.selectOption('#filter-chorus', { label: 'Mise en paiement' });
    await until(
      page,
      `(() => { const cells = ${chorusCells}; return cells.length > 0 && cells.every((c) => c === 'Mise en paiement'); })()`,
    );
    await expect(page.title()).resolves.toBe('Factures — Chorus Pro · back-office');
    await shot('invoices');
  });

  it('connections for admins: « Vérifier maintenant » shows its progress then its result, and the credentials are replaced from the page', async () => {
    const bad = credentialsByScenario(stack.simulator.ctx.dataset, 'credentials.bad-password');
    const good = credentialsByScenario(stack.simulator.ctx.dataset, 'credentials.valid');
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
    await login(page, stack.api.url, 'dev-key-admin', ALICE);
    const card = page.locator('[data-connection="mauvais-mdp"]');
    const failed = card.locator('[data-check="technical-account"][data-result="failed"]');
    await failed.waitFor({ timeout: 60_000 });
    await expect(failed.locator('.cross').count()).resolves.toBe(1);
    await expect(failed.locator('strong').textContent()).resolves.toBe('Compte technique Chorus Pro');
    await expect(failed.locator('.remedy').textContent()).resolves.toMatch(/^À faire : .*Compte technique/);
    await expect(card.locator('h2 [data-status="FAILED"]').textContent()).resolves.toBe('En échec');
    await expect(page.locator('nav [data-nav="taches"]').isVisible()).resolves.toBe(false);
    await shot('connections');

    // The verification is held until the page shows it is running.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/v1/connections/mauvais-mdp/verify', async (route) => {
      await held;
      await route.continue();
    });
    const verify = card.locator('button', { hasText: 'Vérifier maintenant' });
    await verify.focus();
    const verified = page.waitForRequest((r) => r.url().endsWith('/v1/connections/mauvais-mdp/verify'));
    await page.keyboard.press('Enter');
    const request = await verified;
    expect(request.headers()['x-acting-user']).toBe(ALICE);
    await card.locator('[data-verification="running"]', { hasText: 'Vérification en cours' }).waitFor();
    release();
    await card
      .locator('[data-verification="done"]', {
        hasText: 'Vérification terminée : la connexion est en échec (1 vérification(s) en échec).',
      })
      .waitFor({ timeout: 60_000 });
    await page.unrouteAll({ behavior: 'wait' });
    // Re-rendered twice (while verifying, then with the result): the keyboard focus stayed on the button.
    await expect(focused()).resolves.toBe('verify:mauvais-mdp');

    await card.locator('.credentials-panel summary').click();
    await card.locator('input[id$="-login"]').fill(good.technicalAccount.login);
    await card.locator('input[id$="-password"]').fill(good.technicalAccount.password);
    const put = page.waitForRequest(
      (r) => r.method() === 'PUT' && r.url().endsWith('/v1/connections/mauvais-mdp/credentials'),
    );
    await card.locator('.credentials button[type=submit]').click();
    expect((await put).headers()['x-acting-user']).toBe(ALICE);
    await card.locator('.credentials .success-box', { hasText: 'Identifiants remplacés' }).waitFor();
    await card.locator('h2 [data-status="CONNECTED"]').waitFor({ timeout: 60_000 });
    // The verdict of the old credentials is gone with them.
    await expect(card.locator('[data-verification]').isHidden()).resolves.toBe(true);
    await expect(
      card.locator('[data-check="api-family:engagementsJuridiques"] strong').textContent(),
    ).resolves.toBe('Accès à l’API Engagements juridiques');
    await expect(card.locator('input[id$="-password"]').inputValue()).resolves.toBe('');
    await expect(page.locator('main').innerText()).resolves.not.toContain(good.technicalAccount.password);
    // The password countdown on Chorus's clock (the simulator's), as the API reports it.
    const read = await stack.as('admin').get('v1/connections/mauvais-mdp');
    const { passwordExpiresInDays } = read.body as unknown as { passwordExpiresInDays: number | null };
    expect(passwordExpiresInDays).toEqual(expect.any(Number));
    const daysLeft = card.locator('.days-left');
    await daysLeft.waitFor();
    await expect(daysLeft.getAttribute('data-days-left')).resolves.toMatch(/^\d+$/);
    await expect(daysLeft.textContent()).resolves.toMatch(
      /encore \d+ jour\(s\) selon l’horloge de Chorus Pro/,
    );
    await shot('connections-replaced');
  });

  it('shows auditors the journal: business events first, technical ones folded, a filter by kind, a CSV export, all in French', async () => {
    await login(page, stack.api.url, 'dev-key-auditor', PAUL);
    await invoicePage(paid.id);
    const business = page.locator('#audit-timeline tbody tr');
    await business
      .filter({ hasText: `${MARIE} (clé dev-staff)` })
      .first()
      .waitFor({ timeout: 60_000 })
      .catch(async (err: unknown) => {
        // Keep what the page showed, to tell a slow history from a wrong one.
        await shot('audit-failure');
        throw err;
      });
    await expect(page.locator('#audit-timeline tr[data-source="temporal"]').count()).resolves.toBe(0);
    await expect(page.locator('#audit-timeline tr[data-kind="timer.armed"]').count()).resolves.toBe(0);
    await expect(page.locator('#audit-timeline tr[data-kind="submission.sent"]').count()).resolves.toBe(1);
    await expect(page.locator('#journal-technical').getAttribute('open')).resolves.toBeNull();
    await expect(
      page.locator('#audit-technical tr[data-kind="run.started"]').count(),
    ).resolves.toBeGreaterThan(0);
    await expect(
      page.locator('#audit-technical tr[data-kind="timer.armed"]').count(),
    ).resolves.toBeGreaterThan(0);
    await expect(page.locator('#task-form button:not([disabled])').count()).resolves.toBe(0);
    await expect(page.locator('#cancel-invoice').count()).resolves.toBe(0);

    await page.selectOption('#journal-kind', { label: 'Statut Chorus Pro' });
    await until(
      page,
      `[...document.querySelectorAll('#audit-timeline tbody tr')].every((r) => r.dataset.kind === 'chorus.status')`,
    );
    const paidAt = business.filter({ hasText: 'Mise en paiement' });
    // Chorus Pro's own time of the status, in the journal's one format.
    await expect(paidAt.textContent()).resolves.toMatch(
      /« Mise en paiement » le \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d/,
    );
    await page.selectOption('#journal-kind', '');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#journal-csv')]);
    expect(download.suggestedFilename()).toBe(`journal-${paid.number}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    const [header, ...lines] = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(header).toBe(
      '"horodatage (UTC)";"date";"source";"type";"type (libellé)";"événement";"exécution";"n° d’événement Temporal"',
    );
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.find((l) => l.includes('"task.answered"'))).toContain(`${MARIE} (clé dev-staff)`);

    // Nothing a person reads on the page is English or a raw code (but identifiers they need);
    // the scan itself finds both.
    expect(englishOrCodes('Task answered by key dev-staff: MISE_EN_PAIEMENT, buyer.serviceCode', [])).toEqual(
      ['MISE_EN_PAIEMENT', 'Task', 'answered', 'buyer.serviceCode', 'by', 'key'],
    );
    const text = await readableText(page, 'main');
    expect(
      englishOrCodes(text, [paid.number, stack.connectionId, 'dev-staff', 'workflow', 'factures/soumettre']),
    ).toEqual([]);
    await shot('audit');
  });

  it('fits a 390 px wide phone: the header wraps, the steps scroll, the journal stacks, nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await login(page, stack.api.url, 'dev-key-staff', MARIE);
      const noSideways = () => page.evaluate<number>('document.documentElement.scrollWidth');
      await page.locator('#tasks').waitFor();
      await expect(page.locator('#logout').isVisible()).resolves.toBe(true);
      await expect(noSideways()).resolves.toBeLessThanOrEqual(390);
      await invoicePage(paid.id);
      await page.locator('#audit-timeline tbody tr[data-kind="task.answered"]').waitFor({ timeout: 60_000 });
      await expect(page.locator('#audit-timeline thead').isVisible()).resolves.toBe(false);
      await expect(noSideways()).resolves.toBeLessThanOrEqual(390);
      await shot('phone-invoice');
      await page.goto(`${stack.api.url}/app/#/factures`);
      await page.locator('#invoices tr[data-invoice-id]').first().waitFor({ timeout: 30_000 });
      await expect(noSideways()).resolves.toBeLessThanOrEqual(390);
      await shot('phone-invoices');
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  it('shows an invoice Temporal has deleted, from the archive: status, Chorus statuses and audit timeline', async () => {
    await stack.client.workflow.getHandle(paid.id).result();
    const archiver = new InvoiceArchiver({
      client: stack.client,
      db: stack.db,
      logger: createLogger({ name: 'browser-archive', level: 'silent' }),
      scope: `TaskQueue = '${stack.taskQueue}'`,
    });
    await stack.waitUntil(async () => {
      await archiver.archiveClosedRuns();
      return (await archivedRuns(stack.db, paid.id)).length > 0 ? true : undefined;
    }, 'the closed run archived');
    const { runId } = await stack.client.workflow.getHandle(paid.id).describe();
    await stack.client.workflowService.deleteWorkflowExecution({
      namespace: stack.client.options.namespace,
      workflowExecution: { workflowId: paid.id, runId },
    });
    await stack.waitUntil(
      () =>
        stack.client.workflow
          .getHandle(paid.id)
          .describe()
          .then(() => undefined)
          .catch(() => true),
      'the workflow deleted from Temporal',
    );

    await login(page, stack.api.url, 'dev-key-auditor', 'Paul Auditeur');
    await invoicePage(paid.id);
    await page.locator('#read-source').waitFor({ timeout: 30_000 });
    await expect(page.locator('#read-source').textContent()).resolves.toContain('lue depuis l’archive');
    await expect(page.locator('h1 + p [data-status="PAID"]').count()).resolves.toBe(1);
    await expect(page.locator('#chorus-timeline').textContent()).resolves.toContain('Mise en paiement');
    await page
      .locator('#audit-timeline tr[data-kind="task.answered"]', { hasText: `${MARIE} (clé dev-staff)` })
      .waitFor({ timeout: 30_000 });
    await shot('invoice-archived');
  });
});

describe('a task answered after the payment horizon would have passed', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  const shot = shooter(() => page);

  beforeAll(async () => {
    // The horizon is shorter than the reminder: once the reminder shows, the horizon has passed.
    stack = await startStack({ timings: { paymentHorizon: '15 seconds', taskReminderAfter: '20 seconds' } });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'fr-FR' });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('a recycled invoice whose task waited longer than the horizon is still tracked to PAID', async () => {
    const id = await stack.submit(
      invoiceBody(stack, 'buyer.recycles', {
        buyer: { siret: stack.buyerSiret('buyer.recycles'), serviceCode: 'ACHATS' },
      }),
    );
    await stack.waitFor(id, (v) => v.status === 'TRACKING', 'TRACKING', 60_000);
    // The buyer sends it back two simulated hours after the deposit.
    stack.simulator.ctx.clock.advance(3 * 3600);
    await stack.waitFor(id, (v) => v.openTask?.kind === 'RECYCLE', 'a RECYCLE task', 60_000);

    await login(page, stack.api.url, 'dev-key-staff', MARIE);
    await page.goto(`${stack.api.url}/app/#/factures/${encodeURIComponent(id)}`);
    await page.locator('#task-form[data-task-kind="RECYCLE"]').waitFor({ timeout: 60_000 });
    await page
      .locator('#audit-timeline tr[data-kind="task.reminder"]', { hasText: 'Relance 1' })
      .waitFor({ timeout: 90_000 });
    await expect(page.locator('h1 + p [data-status="ACTION_REQUIRED"]').count()).resolves.toBe(1);
    await page.selectOption('#field-buyer-serviceCode', 'LOGISTIQUE');
    await page.click('#task-form button[type=submit]');
    await page.locator('#task-result', { hasText: 'Réponse enregistrée' }).waitFor();
    await page.locator('h1 + p [data-status="TRACKING"]').waitFor({ timeout: 60_000 });
    stack.simulator.ctx.clock.advance(40 * DAY);
    await page.locator('h1 + p [data-status="PAID"]').waitFor({ timeout: 60_000 });
    await expect(page.locator('#chorus-timeline').textContent()).resolves.toContain('À recycler');
    await shot('late-answer-paid');
  });
});
