import type { ChorusClient } from '../../activities/chorus/client';
import {
  ChorusBusinessError,
  ChorusError,
  ChorusRateLimitedError,
  ChorusUnavailableError,
} from '../../activities/chorus/errors';
import { toApplicationFailure } from '../../activities/chorus/failure';
import { READ_RETRY_LIMIT } from '../../activities/chorus/read-retry';
import { BEARER_TOKEN_SHAPE, exactAmountsInvoice, SimulatorHarness } from './simulator-harness';

let harness: SimulatorHarness;
let client: ChorusClient;
let idFournisseur: number;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function failureOf(call: Promise<unknown>): Promise<ChorusError> {
  const error: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChorusError);
  return error as ChorusError;
}

beforeAll(async () => {
  harness = await SimulatorHarness.start();
  client = harness.client('credentials.valid', { timeoutMs: 400 });
  [{ idStructureCPP: idFournisseur }] = (await client.activeSupplierStructures()).listeStructures;
});

afterEach(() => harness.clearFaults());

afterAll(async () => {
  await harness.close();
});

describe('injected faults', () => {
  it('latency beyond the timeout, twice → ChorusUnavailable (timeout), retryable', async () => {
    // A read that timed out is sent again once inside the call: two slow answers in a row fail it.
    await harness.addFault({ route: 'transverses/recuperer/modereglements', latencyMs: 1500, times: 2 });
    const error = await failureOf(client.paymentModes());
    expect(error).toBeInstanceOf(ChorusUnavailableError);
    expect((error as ChorusUnavailableError).reason).toBe('timeout');
    expect(error.retryable).toBe(true);
    expect(error.outcomeUnknown).toBe(false);
    expect(error.message).toContain('no answer within 400 ms');
    expect(toApplicationFailure(error).nonRetryable).toBe(false);
  });

  it('5xx on every attempt of a read → ChorusUnavailable, retryable, with the answer kept', async () => {
    await harness.addFault({
      route: 'structures/rechercher',
      failNext: 1 + READ_RETRY_LIMIT,
      errorStatus: 502,
    });
    const error = await failureOf(
      client.searchStructures({
        structure: { identifiantStructure: harness.structure('buyer.rejects').siret },
      }),
    );
    expect(error.type).toBe('ChorusUnavailable');
    expect(error.httpStatus).toBe(502);
    expect(error.retryable).toBe(true);
    expect(error.outcomeUnknown).toBe(false);
    expect(error.responseBody).toContain('Simulated fault 502');
    // The fault was for those attempts only: the retry Temporal would make succeeds.
    await expect(
      client.searchStructures({
        structure: { identifiantStructure: harness.structure('buyer.rejects').siret },
      }),
    ).resolves.toMatchObject({ codeRetour: 0 });
  });

  it('a read goes through 5xx answers and a cut connection within one call, each sent again', async () => {
    await harness.resetCounters();
    await harness.addFault({ route: 'factures/rechercher/fournisseur', failNext: 2, errorStatus: 503 });
    await expect(client.searchSupplierInvoices({ idFournisseur })).resolves.toMatchObject({
      listeFactures: expect.any(Array),
    });
    // Both failures used up, then the third send answered.
    expect(await harness.faults()).toEqual([]);
    expect(await harness.calls('factures/rechercher/fournisseur')).toBe(1);

    await harness.addFault({ route: 'structures/consulter', loseAnswer: true, times: 1 });
    await expect(client.consultStructure({ idStructureCPP: idFournisseur })).resolves.toMatchObject({
      codeRetour: 0,
    });
    expect(await harness.faults()).toEqual([]);
    expect(harness.logLines.some((l) => l.includes('chorus read sent again'))).toBe(true);
  });

  it('a 429 on a read is not sent again in place: its wait is left to the activity retry', async () => {
    await harness.resetCounters();
    await harness.addFault({ route: 'transverses/recuperer/modereglements', retryAfterSeconds: 1, times: 2 });
    await expect(failureOf(client.paymentModes())).resolves.toBeInstanceOf(ChorusRateLimitedError);
    expect(await harness.faults()).toMatchObject([{ remainingCalls: 1 }]);
  });

  it('ajouter/fichier is a write: not sent again by the client after a 502', async () => {
    await harness.resetCounters();
    await harness.addFault({ route: 'transverses/ajouter/fichier', failNext: 2, errorStatus: 502 });
    const upload = await failureOf(
      client.uploadFile({
        pieceJointeFichier: Buffer.from('%PDF-1.4\n').toString('base64'),
        pieceJointeNom: 'bl.pdf',
        pieceJointeTypeMime: 'application/pdf',
        pieceJointeExtension: 'PDF',
      }),
    );
    expect(upload.httpStatus).toBe(502);
    // Sent once: one of the two failures the simulator was told to answer is left.
    expect(await harness.faults()).toMatchObject([{ remainingFailures: 1 }]);
  });

  it('5xx on soumettre → unknown outcome, not sent again; the lookup by number says whether to resend', async () => {
    await harness.resetCounters();
    await harness.addFault({ route: 'factures/soumettre', failNext: 2, errorStatus: 503 });
    const invoice = exactAmountsInvoice(harness, 'F503-2026-0001');
    const error = await failureOf(client.submitInvoice(invoice));
    expect(await harness.faults()).toMatchObject([{ remainingFailures: 1 }]);
    await harness.clearFaults();
    expect(error.type).toBe('ChorusUnavailable');
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toMatch(/may have been committed.*rechercher\/fournisseur by its numeroFacture/);

    expect(await client.allSupplierInvoices({ idFournisseur, numeroFacture: 'F503-2026-0001' })).toEqual([]);
    await expect(client.submitInvoice(invoice)).resolves.toMatchObject({ statutFacture: 'DEPOSEE' });
  });

  it('429 → ChorusRateLimited with Retry-After, which becomes the next retry delay', async () => {
    await harness.addFault({ route: 'factures/rechercher/fournisseur', retryAfterSeconds: 17, times: 1 });
    const error = await failureOf(client.searchSupplierInvoices({ idFournisseur }));
    expect(error).toBeInstanceOf(ChorusRateLimitedError);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterSeconds).toBe(17);
    expect(error.message).toMatch(/wait 17 s/);
    const failure = toApplicationFailure(error);
    expect(failure.type).toBe('ChorusRateLimited');
    expect(failure.nextRetryDelay).toBe('17s');
  });

  it('lost answer on soumettre → unknown outcome; the invoice is then found by numeroFacture', async () => {
    await harness.addFault({ route: 'factures/soumettre', loseAnswer: true, times: 1 });
    const invoice = exactAmountsInvoice(harness, 'LOST-2026-0001');
    await harness.resetCounters();
    const error = await failureOf(client.submitInvoice(invoice));
    expect(await harness.calls('factures/soumettre')).toBe(1);
    expect(error).toBeInstanceOf(ChorusUnavailableError);
    expect((error as ChorusUnavailableError).reason).toBe('connection-lost');
    expect(error.retryable).toBe(true);
    expect(error.outcomeUnknown).toBe(true);
    expect(error.toDetails().outcomeUnknown).toBe(true);

    const found = await client.allSupplierInvoices({ idFournisseur, numeroFacture: 'LOST-2026-0001' });
    expect(found).toHaveLength(1);
    expect(found[0].montantTTC).toBe('444.804440');

    // Resending blindly would have hit the duplicate rule.
    const resent = await failureOf(client.submitInvoice(invoice));
    expect(resent).toBeInstanceOf(ChorusBusinessError);
    expect((resent as ChorusBusinessError).codeRetour).toBe(20302);
  });

  it('a timeout on soumettre is an unknown outcome too: the deposit may land after we gave up', async () => {
    await harness.addFault({ route: 'factures/soumettre', latencyMs: 800, times: 1 });
    const error = await failureOf(client.submitInvoice(exactAmountsInvoice(harness, 'SLOW-2026-0001')));
    expect((error as ChorusUnavailableError).reason).toBe('timeout');
    expect(error.outcomeUnknown).toBe(true);
    await sleep(700);
    expect(await client.allSupplierInvoices({ idFournisseur, numeroFacture: 'SLOW-2026-0001' })).toHaveLength(
      1,
    );
  });

  it('token endpoint down → ChorusUnavailable on oauth/token; nothing was sent, so no unknown outcome', async () => {
    const fresh = harness.client('credentials.valid');
    await harness.addFault({ route: 'oauth/token', failNext: 1, errorStatus: 503 });
    const error = await failureOf(fresh.submitInvoice(exactAmountsInvoice(harness, 'TOK-2026-0001')));
    expect(error.type).toBe('ChorusUnavailable');
    expect(error.operation).toBe('oauth/token');
    expect(error.outcomeUnknown).toBe(false);
    await expect(fresh.submitInvoice(exactAmountsInvoice(harness, 'TOK-2026-0001'))).resolves.toMatchObject({
      statutFacture: 'DEPOSEE',
    });
  });

  it('no secret in any log line', () => {
    expect(harness.logLines.some((l) => l.includes('chorus call failed without an answer'))).toBe(true);
    for (const line of harness.logLines) {
      for (const secret of harness.secrets()) expect(line).not.toContain(secret);
      expect(line).not.toMatch(BEARER_TOKEN_SHAPE);
    }
  });
});
