import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ATTACHMENT_TYPES } from '../../activities/chorus/uncertain-facts';
import {
  allLabels,
  allMessages,
  FORMAT_KINDS,
  labelOf,
  MESSAGE_AREAS,
  placeholdersOf,
  t,
} from '../../domain/messages';

const MESSAGES = allMessages();
const LABELS = allLabels();

/** The one catalogue: both languages alike, every label a placeholder names present, every text the pages use there. */
describe('the message catalogue', () => {
  const entries = Object.entries(MESSAGES) as Array<[string, { en: string; fr: string }]>;

  it('holds each key in one area only (t reads the areas in turn, the pages the merged whole)', () => {
    const areas = MESSAGE_AREAS.map((area) => Object.keys(area));
    expect(areas.length).toBeGreaterThanOrEqual(6);
    const keys = areas.flat();
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
    expect(Object.keys(MESSAGES).sort()).toEqual([...keys].sort());
    for (const key of keys)
      expect(t(key as never)).toEqual(expect.objectContaining({ en: expect.any(String) }));
  });

  it('finds every label by its kind and code, as the merged list names it', () => {
    for (const [key, label] of Object.entries(LABELS)) {
      const [, kind, ...code] = key.split('.');
      expect({ key, label: labelOf(kind, code.join('.'), 'en') }).toEqual({ key, label: label.en });
    }
  });

  it('has both languages for every entry, with the same placeholders', () => {
    const entries = Object.entries(MESSAGES) as Array<[string, { en: string; fr: string }]>;
    expect(entries.length).toBeGreaterThan(100);
    for (const [key, entry] of entries) {
      expect({ key, en: entry.en.trim().length > 0, fr: entry.fr.trim().length > 0 }).toEqual({
        key,
        en: true,
        fr: true,
      });
      expect({ key, placeholders: placeholdersOf(entry.fr) }).toEqual({
        key,
        placeholders: placeholdersOf(entry.en),
      });
    }
    for (const [key, label] of Object.entries(LABELS)) {
      expect({ key, ok: label.en.length > 0 && label.fr.length > 0 }).toEqual({ key, ok: true });
    }
  });

  it('fills placeholders, shows codes through their labels, and takes texts already in both languages', () => {
    expect(t('readiness.vatRegime.ok', { regime: 'TVA_SUR_DEBIT' })).toEqual({
      en: 'VAT regime TVA_SUR_DEBIT.',
      fr: 'Régime de TVA : TVA sur les débits.',
    });
    expect(t('audit.status.changed', { from: 'TRACKING', to: 'PAID' }).fr).toBe('Statut : Suivi → Payée.');
    expect(labelOf('chorusStatus', 'MANDATEE')).toBe('Mandatée');
    expect(labelOf('chorusStatus', 'NOT_A_STATUS')).toBe('NOT_A_STATUS');
    expect(
      t('audit.connection.waiting', { reason: { en: 'broken', fr: 'cassée' }, every: '1 minute' }).fr,
    ).toMatch(/^La facture attend sa connexion : cassée /);
  });

  it('names in placeholders only formats and label kinds that exist', () => {
    const kinds = new Set(Object.keys(LABELS).map((k) => k.split('.')[1]));
    const used = entries.flatMap(([key, e]) =>
      [...`${e.en} ${e.fr}`.matchAll(/\{\w+:(\w+)\}/g)].map((m) => ({ key, kind: m[1] })),
    );
    expect(used.length).toBeGreaterThan(10);
    expect(
      used.filter(({ kind }) => !kinds.has(kind) && !(FORMAT_KINDS as readonly string[]).includes(kind)),
    ).toEqual([]);
  });

  it('offers exactly the attachment types the Chorus client has a code for', () => {
    const offered = Object.keys(LABELS)
      .filter((k) => k.startsWith('label.attachmentType.'))
      .map((k) => k.slice('label.attachmentType.'.length));
    expect(offered.sort()).toEqual(ATTACHMENT_TYPES.value.map((t) => t.label).sort());
  });

  it('shows French values in French sentences and leaves the English ones as the API gives them', () => {
    expect(t('readiness.totals.computed', { inclVat: '1234.5' })).toEqual({
      en: 'Totals computed from the lines: 1234.5 incl. VAT.',
      fr: 'Totaux calculés à partir des lignes : 1\u202f234,50 € TTC.',
    });
    expect(t('audit.timer.taskReminder', { after: '2 days' }).fr).toContain('après 2 jours');
    expect(labelOf('duration', '1 hour')).toBe('1 heure');
    expect(labelOf('duration', '1.5 minutes')).toBe('1,5 minute');
    expect(labelOf('duration', '90 seconds')).toBe('90 secondes');
    expect(labelOf('datetime', '2026-12-29 17:21')).toBe('29/12/2026 17:21:00');
    // Winter: Paris is UTC+1.
    expect(labelOf('datetime', '2026-11-28T09:03:07.000Z')).toBe('28/11/2026 10:03:07');
    expect(labelOf('date', '2026-11-28')).toBe('28/11/2026');
    expect(labelOf('amount', 'not an amount')).toBe('not an amount');
    expect(labelOf('chorusStatus', 'MISE_EN_PAIEMENT')).toBe('Mise en paiement');
    expect(labelOf('field', 'references.engagementNumber')).toBe('Numéro d’engagement juridique');
    expect(labelOf('billingFrame', 'A1')).toBe('A1 – Dépôt par un fournisseur d’une facture');
  });
});

describe('the texts of the back-office pages', () => {
  const WEB = path.join(__dirname, '../../web');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : [full];
    });
  const sources = files(WEB)
    .filter((f) => /\.(js|html)$/.test(f))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const literal = new Set([...sources.matchAll(/['"](web\.[\w.]+)['"]/g)].map((m) => m[1]));
  /** `web.steps.${step}`: a family of keys named at run time. */
  const families = [...sources.matchAll(/`(web\.[\w.]+\.)\$\{/g)].map((m) => m[1]);
  const webKeys = Object.keys(MESSAGES).filter((k) => k.startsWith('web.'));

  it('come from the catalogue: every key a page names exists', () => {
    expect(literal.size).toBeGreaterThan(100);
    expect([...literal].filter((k) => !(k in MESSAGES))).toEqual([]);
    for (const family of families) expect(webKeys.some((k) => k.startsWith(family))).toBe(true);
  });

  it('are all used by a page (no dead entry in the web area)', () => {
    expect(webKeys.filter((k) => !literal.has(k) && !families.some((f) => k.startsWith(f)))).toEqual([]);
  });

  it('never translate English by pattern, and fill every format the catalogue names', () => {
    expect(sources).not.toMatch(/MESSAGE_FR|inFrench|STATUS_FR|TASK_FR|FIELD_FR/);
    const i18n = readFileSync(path.join(WEB, 'i18n.js'), 'utf8');
    for (const kind of FORMAT_KINDS) expect(i18n).toMatch(new RegExp(`\\b${kind}: \\(value\\)`));
  });
});
