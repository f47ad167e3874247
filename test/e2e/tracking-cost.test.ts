/**
 * The cost of batched tracking, end to end: 50 invoices (three pages of 20: the tracker's page size
 * is lowered so that several pages are read without hundreds of invoices) on one connection are
 * followed by one tracker whose rechercher/fournisseur calls per poll do not grow with the number of invoices.
 * The figures are printed; the assertions only bound the calls per poll.
 */
import type { InvoiceView } from '../../workflows/contracts/invoice';
import { trackerStateQuery, trackerWorkflowId } from '../../workflows/contracts/tracker';
import { invoiceBody, startStack, type Stack } from './stack-harness';

const DAY = 86_400;
/** More than two pages, so the tracker reads several pages per poll. */
const PAGE_SIZE = 20;
const INVOICES = 50;

describe(`batched tracking cost (${INVOICES} invoices, one connection)`, () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ tracker: { pageSize: PAGE_SIZE } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const submit = (body: Record<string, unknown>) => stack.submit(body);
  const deposited = (v: InvoiceView) => v.chorusInvoiceId !== undefined;

  it(`tracks ${INVOICES} invoices with a number of rechercher/fournisseur calls per poll that does not grow with them`, async () => {
    const started = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < INVOICES; i += 10) {
      ids.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, () => submit(invoiceBody(stack, 'buyer.no-requirement'))),
        )),
      );
    }
    for (const id of ids) await stack.waitFor(id, deposited, 'deposit', 300_000);
    const depositSeconds = (Date.now() - started) / 1000;
    const tracker = stack.client.workflow.getHandle(trackerWorkflowId(stack.connectionId));
    const polls = async () => (await tracker.query(trackerStateQuery)).polls;
    /**
     * The calls and the polls between two polls: read when neither has moved for 200 ms (a poll's
     * pages follow one another within milliseconds, and polls are at least 300 ms apart), so that no
     * poll is half counted — its pages without its end, or its end without its pages.
     */
    const settled = async () => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const first = { calls: stack.simulator.ctx.counters.snapshot().calls, polls: await polls() };
        await new Promise((r) => setTimeout(r, 200));
        const second = { calls: stack.simulator.ctx.counters.snapshot().calls, polls: await polls() };
        const searches = (c: typeof first) => c.calls['factures/rechercher/fournisseur'] ?? 0;
        if (first.polls === second.polls && searches(first) === searches(second)) return second;
        if (Date.now() > deadline) throw new Error('the tracker never paused between polls for 200 ms');
      }
    };
    /** Calls made while the tracker completes `n` more polls (or while `until` becomes true). */
    const counted = async (n: number, until?: () => Promise<boolean>) => {
      const before = await settled();
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline && ((await polls()) < before.polls + n || (until && !(await until())))) {
        await new Promise((r) => setTimeout(r, 200));
      }
      const after = await settled();
      const delta = (op: string) => (after.calls[op] ?? 0) - (before.calls[op] ?? 0);
      return {
        polls: after.polls - before.polls,
        searches: delta('factures/rechercher/fournisseur'),
        histories: delta('factures/consulter/historique'),
      };
    };

    // The tracker counts what it tracks at each poll: read the count of a poll after the deposits.
    await counted(1);
    const state = await tracker.query(trackerStateQuery);
    expect(state.tracked).toBeGreaterThanOrEqual(INVOICES);
    const tracked = state.tracked!;
    const quiet = await counted(3);
    stack.simulator.ctx.clock.advance(4 * DAY);
    const allServed = async () => {
      const views = await Promise.all(
        ids.map(
          async (id) =>
            (await stack.http.get(`v1/invoices/${encodeURIComponent(id)}`)).body as unknown as InvoiceView,
        ),
      );
      return views.every((v) => v.chorusTimeline.some((o) => o.status === 'SERVICE_FAIT'));
    };
    const burst = await counted(1, allServed);
    expect(await allServed()).toBe(true);
    const perPoll = (n: { polls: number; searches: number }) => (n.polls > 0 ? n.searches / n.polls : 0);
    process.stdout.write(
      [
        '',
        `tracking ${tracked} invoices on one connection (page size ${PAGE_SIZE}; ${INVOICES} submitted and deposited in ${depositSeconds.toFixed(0)} s):`,
        `  quiet period : ${quiet.polls} polls, ${quiet.searches} rechercher/fournisseur calls (${perPoll(quiet).toFixed(2)} per poll)`,
        `  status burst (every invoice moves twice): ${burst.polls} polls, ${burst.searches} rechercher/fournisseur calls (${perPoll(burst).toFixed(2)} per poll), ` +
          `${burst.histories} consulter/historique calls (fallback look-ups only: an ordinary status is learnt from the tracker's page)`,
        `  per-invoice polling would cost ${tracked} calls per poll`,
        '',
      ].join('\n'),
    );
    expect(quiet.polls).toBeGreaterThan(0);
    expect(perPoll(quiet)).toBeLessThanOrEqual(3);
    expect(perPoll(burst)).toBeLessThanOrEqual(Math.ceil(tracked / PAGE_SIZE) + 1);
  }, 420_000);
});
