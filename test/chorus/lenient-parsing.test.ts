import { chorusInstant } from '../../activities/chorus/dates';
import { errorFromApiAnswer, type ApiCallScope, type HttpAnswer } from '../../activities/chorus/errors';
import {
  exactDecimal,
  InvoiceHistoryResponse,
  SearchSupplierInvoicesResponse,
  SubmitInvoiceResponse,
} from '../../activities/chorus/models';
import { attachmentTypeCode, isNoResult, NO_RESULT_CODES } from '../../activities/chorus/uncertain-facts';
import { parseChorusJson } from '../../domain/chorus-json';

/** Pure checks of the lenient readers and the error mapping, beside the HTTP tests in fidelity.test.ts. */

const scope = (operation: string, overrides: Partial<ApiCallScope> = {}): ApiCallScope => ({
  operation,
  family: operation.split('/')[0] as ApiCallScope['family'],
  clientId: 'client-id-1',
  login: 'TECH_1_x@cpro.fr',
  environment: 'sandbox (qualification)',
  timeoutMs: 5000,
  secrets: [],
  idempotent: true,
  envelope: true,
  ...overrides,
});
const answer = (statusCode: number, body = '', headers: HttpAnswer['headers'] = {}): HttpAnswer => ({
  statusCode,
  body,
  headers,
});

describe('exact amounts in any form', () => {
  it.each([
    ['1.5E+2', '150'],
    ['1E-7', '0.0000001'],
    ['370.670367', '370.670367'],
    ['150.000000', '150.000000'],
    ['-1.25e1', '-12.5'],
    ['0E-6', '0'],
  ])('%s → %s', (wire, exact) => {
    expect(exactDecimal(wire)).toBe(exact);
  });

  it('reads amounts that arrive as numbers in exponent form without a binary float', () => {
    const wire =
      '{"codeRetour":"0","listeFactures":{"identifiantFactureCPP":"10321512","montantHT":1.5E+2,' +
      '"montantTTC":"4.4480444E+2","montantAPayer":0.1,"rejetTraite":"TRUE","idDestinataire":null}}';
    const [hit] = SearchSupplierInvoicesResponse.parse(parseChorusJson(wire)).listeFactures;
    expect(hit).toMatchObject({
      identifiantFactureCPP: 10321512,
      montantHT: '150',
      montantTTC: '444.80444',
      montantAPayer: '0.1',
      rejetTraite: true,
      idDestinataire: null,
    });
  });

  it('keeps a number a double cannot hold as its text', () => {
    const parsed = parseChorusJson<{ numeroFacture: string }>('{"numeroFacture":20250000000000000014}');
    expect(parsed.numeroFacture).toBe('20250000000000000014');
  });
});

describe('soumettre: an identifiantFactureCPP means success', () => {
  it.each([
    { identifiantFactureCPP: 10321512 },
    {
      identifiantFactureCPP: '10321512',
      codeRetour: '0',
      dateDepot: 20261128,
      statutFacture: { code: 'DEPOSEE' },
    },
    {
      identifiantFactureCPP: ' 10321512 ',
      numeroFacture: 42,
      empreinteCertificatDepot: ['x'],
      codeRetour: 'OK',
    },
  ])('reads %j', (body) => {
    const parsed = SubmitInvoiceResponse.safeParse(body);
    expect(parsed.success).toBe(true);
    expect(parsed.data?.identifiantFactureCPP).toBe(10321512);
  });

  it('is not an error for the mapping either when codeRetour is not a number', () => {
    expect(
      errorFromApiAnswer(
        answer(200, '{"codeRetour":"OK","identifiantFactureCPP":"10321512"}'),
        scope('factures/soumettre', { idempotent: false }),
      ),
    ).toBeUndefined();
  });
});

describe('history entries', () => {
  it('reads ids as strings and a single entry as an object', () => {
    const parsed = InvoiceHistoryResponse.parse({
      codeRetour: '0',
      idFacture: '10321512',
      historiquesDesStatuts: {
        histoStatut: { histoStatutId: '51000001', histoStatutCode: 'DEPOSEE', histoStatutDatePassage: null },
        pagesHistoStatut: '1',
      },
    });
    expect(parsed.historiquesDesStatuts?.histoStatut).toEqual([
      expect.objectContaining({ histoStatutId: 51000001, histoStatutCode: 'DEPOSEE' }),
    ]);
    expect(parsed.historiquesDesStatuts?.pagesHistoStatut).toBe(1);
  });

  it.each([
    ['2019-07-11T15:45:39.674+02:00', '2019-07-11T15:45:39.674+02:00'],
    ['2026-11-28 14:03', '2026-11-28T14:03:00.000+01:00'],
    ['2026-07-01 09:00', '2026-07-01T09:00:00.000+02:00'],
    ['2026-11-28T14:03+01:00', '2026-11-28T14:03:00.000+01:00'],
    ['not a date', undefined],
  ])('dates: %s → %s', (text, instant) => {
    expect(chorusInstant(text)).toBe(instant);
  });
});

describe('"no result" is per operation', () => {
  it('takes a known code of that operation as an empty list', () => {
    const empty = '{"codeRetour":20007,"libelle":"GFT_MSG_01.075","listeFactures":[]}';
    const search = scope('factures/rechercher/fournisseur', { searchList: 'listeFactures' });
    expect(errorFromApiAnswer(answer(200, empty), search)).toBeUndefined();
    expect(isNoResult('structures/rechercher', 20007)).toBe(false);
    const elsewhere = scope('structures/rechercher', { searchList: 'listeStructures' });
    const error = errorFromApiAnswer(
      answer(200, '{"codeRetour":20007,"libelle":"GFT_MSG_01.075","listeStructures":[]}'),
      elsewhere,
    );
    expect(error?.type).toBe('ChorusUnrecognisedNoResult');
    // Not a dead end for an invoice: retried slowly until the table knows the code.
    expect(error?.retryable).toBe(true);
    expect(error?.retryAfterSeconds).toBe(300);
    expect(error?.message).toContain('NO_RESULT_CODES');
  });

  it('a non-zero code with results, or an HTTP 400, is a business error', () => {
    const search = scope('factures/rechercher/fournisseur', { searchList: 'listeFactures' });
    expect(
      errorFromApiAnswer(
        answer(200, '{"codeRetour":20001,"listeFactures":[{"identifiantFactureCPP":1}]}'),
        search,
      )?.type,
    ).toBe('ChorusBusinessError');
    expect(errorFromApiAnswer(answer(400, '{"codeRetour":"20007","libelle":"x"}'), search)?.type).toBe(
      'ChorusBusinessError',
    );
  });

  it('covers every search operation of the client', () => {
    expect(Object.keys(NO_RESULT_CODES)).toEqual(
      expect.arrayContaining([
        'structures/rechercher',
        'structures/rechercher/services',
        'factures/rechercher/fournisseur',
        'engagementsJuridiques/rechercher',
        'utilisateurs/monCompte/recuperer/rattachements',
        'transverses/recuperer/structures/actives/fournisseur',
        'transverses/recuperer/coordbanc/valides',
        'transverses/recuperer/typespj',
      ]),
    );
  });
});

describe('403 classification', () => {
  const structures = scope('structures/rechercher');

  it('empty body: route not subscribed', () => {
    expect(errorFromApiAnswer(answer(403), structures)?.type).toBe('ChorusApiFamilyNotSubscribed');
  });

  it('quota headers or body: quota exceeded, waiting for the reset', () => {
    const byHeader = errorFromApiAnswer(
      answer(403, '', { 'x-quota-remaining': '0', 'x-quota-reset': String(Date.now() + 120_000) }),
      structures,
    );
    expect(byHeader?.type).toBe('ChorusQuotaExceeded');
    expect(byHeader?.retryAfterSeconds).toBeGreaterThanOrEqual(119);
    expect(byHeader?.retryAfterSeconds).toBeLessThanOrEqual(120);
    const byBody = errorFromApiAnswer(answer(403, '{"moreInformation":"Quota exceeded"}'), structures);
    expect(byBody?.type).toBe('ChorusQuotaExceeded');
    expect(byBody?.retryAfterSeconds).toBe(3600);
    const as429 = errorFromApiAnswer(answer(429, 'Quota exceeded', { 'retry-after': '60' }), structures);
    expect(as429?.type).toBe('ChorusQuotaExceeded');
    expect(errorFromApiAnswer(answer(429, '', { 'retry-after': '5' }), structures)?.type).toBe(
      'ChorusRateLimited',
    );
  });

  it.each([
    '{"httpCode":"403","moreInformation":"Utilisateur technique desactive : acces refuse"}',
    '{"error":"technical user is disabled"}',
    'Compte désactivé',
  ])('a body naming a disabled user: %s', (body) => {
    const error = errorFromApiAnswer(answer(403, body), structures);
    expect(error?.type).toBe('ChorusTechnicalUserDisabled');
    expect(error?.retryable).toBe(false);
  });
});

describe('attachment type codes', () => {
  it('maps labels people know to codes and keeps codes', () => {
    expect(attachmentTypeCode('Doc. Annexe')).toBe('ANX');
    expect(attachmentTypeCode('bon de livraison')).toBe('BLV');
    expect(attachmentTypeCode('RIB')).toBe('RIB');
    expect(attachmentTypeCode('ANX')).toBe('ANX');
    expect(attachmentTypeCode('XYZ')).toBe('XYZ');
  });
});
