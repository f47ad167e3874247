import { LABELS, MESSAGES, labelOf, placeholdersOf, t } from '../../domain/messages';

describe('the message catalogue', () => {
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
});
