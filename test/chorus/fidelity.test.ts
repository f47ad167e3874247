import type { ChorusClient } from '../../activities/chorus/client';
import {
  ApiFamilyNotSubscribedError,
  ChorusBusinessError,
  PisteQuotaExceededError,
  TechnicalAccountRejectedError,
  TechnicalUserDisabledError,
} from '../../activities/chorus/errors';
import { toApplicationFailure } from '../../activities/chorus/failure';
import type { SubmitInvoiceRequest } from '../../activities/chorus/models';
import { exactAmountsInvoice, SimulatorHarness } from './simulator-harness';

/**
 * The client against the simulator's adversarial scenarios, over real HTTP: string ids, offset
 * dates, history pages, per-operation "no result" codes, the three 403s, attachment type codes.
 */

let harness: SimulatorHarness;
let client: ChorusClient;

beforeAll(async () => {
  harness = await SimulatorHarness.start();
  client = harness.client('credentials.valid');
});

afterAll(async () => {
  await harness.close();
});

const MINUTE = 60;
const DAY = 86400;
const OFFSET_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;

/** 150 HT + 30 VAT = 180: amounts that Java writes in exponent form once trailing zeros are stripped. */
function roundAmountsInvoice(numero: string, buyerScenario = 'buyer.no-requirement'): SubmitInvoiceRequest {
  const invoice = exactAmountsInvoice(harness, numero, buyerScenario);
  return {
    ...invoice,
    lignePoste: [
      { ...invoice.lignePoste![0], lignePosteQuantite: '1', lignePosteMontantUnitaireHT: '150.00' },
    ],
    ligneTva: [
      {
        ligneTvaTauxManuel: '20',
        ligneTvaMontantBaseHtParTaux: '150.00',
        ligneTvaMontantTvaParTaux: '30.00',
      },
    ],
    montantTotal: {
      montantHtTotal: '150.00',
      montantTVA: '30.00',
      montantTtcTotal: '180.00',
      montantAPayer: '180.00',
    },
  };
}

describe('format.string-ids: lenient and exact', () => {
  it('reads ids, amounts, booleans, codeRetour and one-item lists written as strings, losing nothing', async () => {
    const raw: Array<{ operation: string; answer: unknown }> = [];
    const observed = harness.client('format.string-ids', {
      onAnswer: (operation, answer) => raw.push({ operation, answer }),
    });

    const [supplier] = (await observed.activeSupplierStructures()).listeStructures;
    expect(supplier.idStructureCPP).toBe(harness.structure('supplier.default').idStructureCPP);

    const submitted = await observed.submitInvoice(roundAmountsInvoice('STR-2026-0001'));
    expect(submitted.identifiantFactureCPP).toEqual(expect.any(Number));
    expect(submitted.numeroFacture).toBe('STR-2026-0001');
    const submitAnswer = raw.find((r) => r.operation === 'factures/soumettre')!.answer as Record<
      string,
      unknown
    >;
    expect(submitAnswer.identifiantFactureCPP).toBe(String(submitted.identifiantFactureCPP));
    expect(submitAnswer.codeRetour).toBe('0');

    const found = await observed.searchSupplierInvoices({ numeroFacture: 'STR-2026-0001' });
    expect(found.listeFactures).toHaveLength(1);
    const [hit] = found.listeFactures;
    expect(hit.identifiantFactureCPP).toBe(submitted.identifiantFactureCPP);
    expect(hit.montantHT).toBe('150');
    expect(hit.montantTTC).toBe('180');
    expect(hit.rejetTraite).toBe(false);
    expect(hit.codeServiceExecutant).toBeNull();
    const searchAnswer = raw.find((r) => r.operation === 'factures/rechercher/fournisseur')!.answer as {
      listeFactures: Record<string, unknown>;
    };
    // What came over the wire: a bare object, amounts in Java's exponent form.
    expect(Array.isArray(searchAnswer.listeFactures)).toBe(false);
    expect(searchAnswer.listeFactures.montantHT).toBe('1.5E+2');

    const exact = await observed.submitInvoice(exactAmountsInvoice(harness, 'STR-2026-0002'));
    const consulted = await observed.consultSupplierInvoice({
      identifiantFactureCPP: exact.identifiantFactureCPP,
    });
    expect(consulted.facture?.montantTotal?.montantTtcTotal).toBe('444.80444');
    expect(consulted.facture?.lignesDePoste?.lignePoste.map((l) => l.lignePosteMontantUnitaireHT)).toEqual([
      '123.456789',
      '0.1',
      '0.2',
    ]);

    const structure = await observed.consultStructure({ idStructureCPP: supplier.idStructureCPP });
    expect(structure.parametres?.codeServiceDoitEtreRenseigne).toBe(false);

    const history = await observed.invoiceHistory(submitted.identifiantFactureCPP);
    expect(history.statuses).toEqual([
      expect.objectContaining({ code: 'DEPOSEE', histoStatutId: expect.any(Number) }),
    ]);
    expect(history.statutCourantCode).toBe('DEPOSEE');
  });
});

describe('invoiceHistory', () => {
  it('reads every page of a long history (newest first on the wire) and returns it oldest first by id', async () => {
    const buyer = harness.structure('buyer.long-history');
    const { identifiantFactureCPP: id } = await client.submitInvoice(
      exactAmountsInvoice(harness, 'LONG-2026-0001', 'buyer.long-history'),
    );
    for (let round = 0; round < 2; round++) {
      await harness.advanceClock(2 * DAY);
      await client.recycleInvoice({
        identifiantFactureCPP: id,
        destinataire: { codeDestinataire: buyer.siret },
      });
    }
    await harness.advanceClock(30 * DAY);
    await harness.resetCounters();

    const history = await client.invoiceHistory(id);
    expect(await harness.calls('factures/consulter/historique')).toBe(3);
    expect(history.statuses).toHaveLength(21);
    expect(history.statutCourantCode).toBe('MISE_EN_PAIEMENT');
    expect(history.numeroFacture).toBe('LONG-2026-0001');
    const ids = history.statuses.map((s) => s.histoStatutId!);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(history.statuses[0].code).toBe('DEPOSEE');
    expect(history.statuses.at(-1)?.code).toBe('MISE_EN_PAIEMENT');
    expect(history.statuses.filter((s) => s.code === 'A_RECYCLER')).toHaveLength(2);
    for (const s of history.statuses) {
      expect(s.at).toMatch(OFFSET_INSTANT);
      // The short form is French time: the instant keeps that wall-clock time and gets its offset.
      expect(s.at!.slice(0, 16).replace('T', ' ')).toBe(s.chorusDate);
    }
  });

  it('keeps same-minute statuses in the order of their ids', async () => {
    const { identifiantFactureCPP: id } = await client.submitInvoice(
      exactAmountsInvoice(harness, 'SAME-2026-0001', 'buyer.same-minute-recycle'),
    );
    await harness.advanceClock(2 * MINUTE);
    const history = await client.invoiceHistory(id);
    expect(history.statuses.map((s) => s.code)).toEqual(['DEPOSEE', 'MISE_A_DISPOSITION', 'A_RECYCLER']);
    expect(history.statuses[1].at).toBe(history.statuses[2].at);
    expect(history.statutCourantCode).toBe('A_RECYCLER');
  });

  it('keeps the offset of format.offset-dates, in the history and in search hits', async () => {
    const { identifiantFactureCPP: id } = await client.submitInvoice(
      exactAmountsInvoice(harness, 'OFFS-2026-0001', 'format.offset-dates'),
    );
    await harness.advanceClock(2 * MINUTE);
    const history = await client.invoiceHistory(id);
    for (const s of history.statuses) {
      expect(s.chorusDate).toMatch(OFFSET_INSTANT);
      expect(s.at).toBe(s.chorusDate);
    }
    const [hit] = (await client.searchSupplierInvoices({ numeroFacture: 'OFFS-2026-0001' })).listeFactures;
    expect(hit.dateHeureEtatCourant).toMatch(OFFSET_INSTANT);
    expect(hit.etatCourantAt).toBe(hit.dateHeureEtatCourant);
  });
});

describe('"no result" per operation', () => {
  it('takes each operation’s own empty-search code as an empty list', async () => {
    const invoices = await client.searchSupplierInvoices({ numeroFacture: 'NEVER-SENT' });
    expect(invoices).toMatchObject({ codeRetour: 20007, listeFactures: [] });
    const structures = await client.searchStructures({
      structure: { identifiantStructure: '99999999999999' },
    });
    expect(structures).toMatchObject({ codeRetour: 20000, listeStructures: [] });
    expect(
      (await client.searchEngagements({ numeroEngagementJuridique: 'NONE' })).listeEngagementJuridique,
    ).toEqual([]);
    expect(
      (await client.recupererTypesPieceJointe({ codeLangue: 'FR', typeObjet: 'RIEN' })).listeTypePieceJointe,
    ).toEqual([]);
  });

  it('finds nothing by our number for a buyer that renumbers, and the soumettre answer carries Chorus’s number', async () => {
    const answer = await client.submitInvoice(
      exactAmountsInvoice(harness, 'RENUM-2026-01', 'buyer.renumbers'),
    );
    expect(answer.numeroFacture).toMatch(/^\d{20}$/);
    expect((await client.searchSupplierInvoices({ numeroFacture: 'RENUM-2026-01' })).listeFactures).toEqual(
      [],
    );
    const [hit] = (await client.searchSupplierInvoices({ numeroFacture: answer.numeroFacture! }))
      .listeFactures;
    expect(hit.identifiantFactureCPP).toBe(answer.identifiantFactureCPP);
  });
});

describe('the three 403s', () => {
  it('a route not subscribed is ApiFamilyNotSubscribed, non-retryable, with a remedy in both languages', async () => {
    const error = await harness
      .client('credentials.missing-structures')
      .searchStructures({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiFamilyNotSubscribedError);
    const failure = toApplicationFailure(error);
    expect(failure.nonRetryable).toBe(true);
    expect((error as ApiFamilyNotSubscribedError).remedy.fr).toMatch(/Route non souscrite/);
    expect((error as ApiFamilyNotSubscribedError).remedy.en).toMatch(/Route not subscribed/);
  });

  it('a disabled technical user: TechnicalAccountRejected once, then TechnicalUserDisabled, never retried', async () => {
    const disabled = harness.client('credentials.disabled-user');
    expect(await disabled.healthCheck().catch((e: unknown) => e)).toBeInstanceOf(
      TechnicalAccountRejectedError,
    );
    const error = await disabled.searchStructures({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TechnicalUserDisabledError);
    const typed = error as TechnicalUserDisabledError;
    expect(typed.message).toMatch(/disabled/);
    expect(typed.message).toMatch(/not a missing API subscription/);
    expect(typed.remedy.fr).toMatch(/Compte technique désactivé/);
    const failure = toApplicationFailure(error);
    expect(failure.type).toBe('ChorusTechnicalUserDisabled');
    expect(failure.nonRetryable).toBe(true);
  });

  it('a used-up quota: QuotaExceeded, retried only after the quota resets', async () => {
    const error = await harness
      .client('credentials.quota-exhausted')
      .searchSupplierInvoices({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PisteQuotaExceededError);
    const typed = error as PisteQuotaExceededError;
    expect(typed.retryAfterSeconds).toBe(3600);
    expect(typed.remedy.fr).toMatch(/Quota PISTE atteint/);
    const failure = toApplicationFailure(error);
    expect(failure.type).toBe('ChorusQuotaExceeded');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe('3600s');
  });
});

describe('attachment types and bank details', () => {
  it('reads the typespj list and the valid bank accounts', async () => {
    const types = await client.recupererTypesPieceJointe({ codeLangue: 'FR', typeObjet: 'FACTURE' });
    expect(types.listeTypePieceJointe).toContainEqual(
      expect.objectContaining({ codeTypePieceJointe: 'ANX', libelleTypePieceJointe: 'Doc. Annexe' }),
    );
    const supplier = harness.structure('supplier.default');
    const accounts = await client.recupererCoordonneesBancairesValides({
      idStructure: supplier.idStructureCPP,
    });
    expect(accounts.listeCoordonneeBancaire.map((a) => a.idCoordonneeBancaire)).toEqual(
      supplier.bankAccountIds,
    );
  });

  it('sends the code of a label people know or the environment lists, and an unknown code is refused by Chorus', async () => {
    const upload = () =>
      client.uploadFile({
        pieceJointeFichier: Buffer.from('annexe').toString('base64'),
        pieceJointeNom: 'annexe.txt',
        pieceJointeTypeMime: 'text/plain',
        pieceJointeExtension: 'TXT',
      });
    const withType = async (numero: string, type: string): Promise<SubmitInvoiceRequest> => ({
      ...exactAmountsInvoice(harness, numero),
      pieceJointeComplementaire: [
        {
          pieceJointeComplementaireDesignation: 'Annexe',
          pieceJointeComplementaireType: type,
          pieceJointeComplementaireId: (await upload()).pieceJointeId,
        },
      ],
    });
    const answer = await client.submitInvoice(await withType('TYPE-2026-01', 'Doc. Annexe'));
    const consulted = await client.consultSupplierInvoice({
      identifiantFactureCPP: answer.identifiantFactureCPP,
    });
    const attachments = (
      consulted.facture?.listeDesPiecesJointes as { pieceJointe: Array<Record<string, unknown>> }
    ).pieceJointe;
    expect(attachments[0]).toMatchObject({
      pieceJointeTypeCode: 'ANX',
      pieceJointeTypeLibelle: 'Doc. Annexe',
    });

    // A label only the environment's typespj list knows (not the table of assumed codes).
    const listed = await client.submitInvoice(await withType('TYPE-2026-03', 'procès-verbal de réception'));
    const withListed = await client.consultSupplierInvoice({
      identifiantFactureCPP: listed.identifiantFactureCPP,
    });
    expect(
      (withListed.facture?.listeDesPiecesJointes as { pieceJointe: Array<Record<string, unknown>> })
        .pieceJointe[0],
    ).toMatchObject({ pieceJointeTypeCode: 'PVR' });

    const refused = await client
      .submitInvoice(await withType('TYPE-2026-02', 'BON_DE_COMMANDE'))
      .catch((e) => e);
    expect(refused).toBeInstanceOf(ChorusBusinessError);
    expect((refused as ChorusBusinessError).codeRetour).toBe(20331);
  });
});
