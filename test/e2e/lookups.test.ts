/**
 * What an integrator asks before submitting, on the real stack: a buyer's requirements and an
 * invoice's dry run, read from the simulator through the connection's workflow — and nothing started.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { invoiceWorkflowId } from '../../workflows/contracts/invoice';
import { invoiceBody, startStack, type Stack } from './stack-harness';

describe('buyer requirements and dry runs', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const requirements = (siret: string, connectionId = stack.connectionId) =>
    stack.as('system').get(`v1/buyers/${siret}/requirements?connectionId=${connectionId}`);

  it('says what a buyer requires: engagement, services with their own flags, billing frames', async () => {
    const prefecture = await requirements(stack.buyerSiret('buyer.requires-engagement'));
    expect(prefecture.statusCode).toBe(200);
    expect(prefecture.body).toMatchObject({
      found: true,
      name: 'PREFECTURE DU VAL D EXEMPLE',
      acceptsInvoices: true,
      engagementRequired: true,
      serviceCodeRequired: false,
    });
    const department = (await requirements(stack.buyerSiret('buyer.service-requires-engagement')))
      .body as unknown as {
      services: Array<{ code: string; engagementRequired: boolean }>;
      billingFrames: unknown[];
    };
    expect(department.services).toContainEqual({
      code: 'TRAVAUX',
      label: expect.any(String),
      engagementRequired: true,
    });
    expect(department.services.find((s) => s.code === 'CULTURE')?.engagementRequired).toBe(false);
    expect(department.billingFrames.length).toBeGreaterThan(0);
    const inactive = await requirements(stack.buyerSiret('buyer.inactive-structure'));
    expect(inactive.body).toMatchObject({ found: true, active: false, acceptsInvoices: false });
    // A well-formed SIRET Chorus Pro does not know.
    const unknown = await requirements('73282932000074');
    expect(unknown.body).toMatchObject({ found: false, acceptsInvoices: false, services: [] });
  });

  it('refuses a bad SIRET or an unknown connection field by field, and a role that may not ask', async () => {
    const bad = await requirements('12345678901234');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatchObject({ error: { fields: { siret: expect.any(String) } } });
    const nobody = await requirements(stack.buyerSiret('buyer.no-requirement'), 'nobody');
    expect(nobody.statusCode).toBe(400);
    expect(nobody.body).toMatchObject({ error: { fields: { connectionId: expect.any(String) } } });
    const auditor = await stack
      .as('auditor')
      .get(
        `v1/buyers/${stack.buyerSiret('buyer.no-requirement')}/requirements?connectionId=${stack.connectionId}`,
      );
    expect(auditor.statusCode).toBe(403);
  });

  it('dry-runs an invoice: the checklist a task would ask from, then the exact payload, and starts nothing', async () => {
    const deposits = () => stack.simulator.ctx.counters.snapshot().calls['factures/soumettre'] ?? 0;
    const before = deposits();
    const missing = invoiceBody(stack, 'buyer.requires-engagement');
    const asked = await stack.as('system').post('v1/invoices/validate', { json: missing });
    expect(asked.statusCode).toBe(200);
    const dry = asked.body as unknown as {
      ready: boolean;
      checklist: Array<{ id: string; ok: boolean; field?: string }>;
      totals: { exclVat: string; vat: string; inclVat: string };
      chorusPayload?: { montantTotal: { montantTtcTotal: string }; references: Record<string, unknown> };
    };
    expect(dry.ready).toBe(false);
    expect(dry.checklist.find((c) => !c.ok)).toMatchObject({
      id: 'engagement-number',
      field: 'references.engagementNumber',
    });
    expect(dry.totals).toEqual({ exclVat: '345.50', vat: '69.10', inclVat: '414.60' });
    expect(dry.chorusPayload).toBeUndefined();

    const complete = { ...missing, references: { engagementNumber: 'EJ-2026-000123' } };
    const ready = (await stack.as('staff').post('v1/invoices/validate', { json: complete }))
      .body as unknown as typeof dry;
    expect(ready.ready).toBe(true);
    expect(ready.chorusPayload?.montantTotal.montantTtcTotal).toBe(ready.totals.inclVat);
    expect(ready.chorusPayload?.references).toMatchObject({ numeroBonCommande: 'EJ-2026-000123' });

    // Nothing started, nothing sent.
    const id = invoiceWorkflowId(stack.connectionId, String(missing.invoiceNumber));
    await expect(stack.client.workflow.getHandle(id).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
    expect(deposits()).toBe(before);
    const invalid = await stack
      .as('system')
      .post('v1/invoices/validate', { json: { ...missing, lines: [] } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toMatchObject({ error: { fields: { lines: expect.any(String) } } });
  });
});
