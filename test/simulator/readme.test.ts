import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildDataset } from '../../simulator/dataset';
import { COMPLETE, READ, RECYCLE, SUBMIT } from '../../simulator/factures/refusals';
import { KNOWN_ROUTES } from '../../simulator/gateway';
import { NO_RESULT_BY_OPERATION } from '../../simulator/no-result';

/** The README documents the data set like test cards: it must not drift from dataset.ts. */
const readme = readFileSync(path.resolve(__dirname, '../../simulator/README.md'), 'utf8');
const dataset = buildDataset(new Date());

describe('simulator/README.md', () => {
  const entries = [
    ...dataset.credentials.map((c) => [
      c.scenario,
      [c.piste.clientId, c.piste.clientSecret, c.technicalAccount.login, c.technicalAccount.password],
    ]),
    ...dataset.pisteClients.map((p) => [p.scenario, [p.clientId, p.clientSecret]]),
    ...dataset.technicalAccounts.map((a) => [a.scenario, [a.login, a.password]]),
    ...dataset.structures.map((s) => [s.scenario, [s.siret, String(s.idStructureCPP), s.designation]]),
  ] as [string, string[]][];

  it.each(entries)('documents %s with its magic values', (scenario, values) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${scenario}\``));
    expect(row).toBeDefined();
    for (const value of values) expect(row).toContain(value);
  });

  it('documents every route the gateway knows outside Factures', () => {
    for (const [family, routes] of Object.entries(KNOWN_ROUTES)) {
      if (family === 'factures') continue;
      for (const route of routes) expect(readme).toContain(`${family}/v1/${route.replace(/^\w+ /, '')}`);
    }
  });

  it('lists every refusal code of every operation in its one table', () => {
    const table = readme.slice(readme.indexOf('### Refusal codes'), readme.indexOf('## Admin API'));
    const rows = table.split('\n').filter((line) => line.startsWith('| '));
    const documented = (operation: RegExp, code: number) =>
      rows.some((row) => operation.test(row.split('|')[1]) && row.includes(`\`${code}\``));
    for (const code of Object.values(SUBMIT))
      expect([code, documented(/soumettre/, code)]).toEqual([code, true]);
    for (const code of Object.values(RECYCLE))
      expect([code, documented(/recycler/, code)]).toEqual([code, true]);
    for (const code of Object.values(COMPLETE))
      expect([code, documented(/completer/, code)]).toEqual([code, true]);
    for (const code of Object.values(READ)) {
      expect([code, documented(/consulter|rechercher/, code)]).toEqual([code, true]);
    }
    for (const { codeRetour } of Object.values(NO_RESULT_BY_OPERATION)) {
      expect([codeRetour, documented(/search|rechercher/, codeRetour)]).toEqual([codeRetour, true]);
    }
  });
});
