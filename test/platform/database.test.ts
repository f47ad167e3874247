import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { ensureDatabase } from '../../scripts/postgres';
import { databaseAnswers, jsonText, openDatabase, prepareDatabase } from '../../platform/database';
import { MIGRATIONS } from '../../platform/database/migrations';
import { testPostgresUrl } from '../helpers/database';

describe('the app database (real PostgreSQL)', () => {
  it('migrates once when several processes start together, and creates the database when missing', async () => {
    const url = new URL(testPostgresUrl());
    url.pathname = `/fresh_${randomBytes(4).toString('hex')}`;
    const starts = await Promise.all([1, 2, 3, 4].map(() => prepareDatabase(url.toString(), { max: 2 })));
    try {
      const applied = starts.flatMap((s) => s.applied);
      expect(applied.sort()).toEqual(Object.keys(MIGRATIONS).sort());
      const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        starts[0].db,
      );
      expect(rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS));
      const again = await prepareDatabase(url.toString());
      expect(again.applied).toEqual([]);
      await again.db.destroy();
    } finally {
      await Promise.all(starts.map((s) => s.db.destroy()));
    }
  });

  it('reports whether it answers (for /healthz)', async () => {
    const url = await ensureDatabase(testPostgresUrl(), `health_${randomBytes(4).toString('hex')}`);
    const db = openDatabase(url);
    expect(await databaseAnswers(db)).toBe(true);
    await db.destroy();
    const nowhere = new URL(url);
    nowhere.port = '1';
    const unreachable = openDatabase(nowhere.toString());
    expect(await databaseAnswers(unreachable, 1_000)).toBe(false);
    await unreachable.destroy();
  });

  it('stores JSON holding U+0000 (which its JSON type refuses) with the character replaced', async () => {
    const url = await ensureDatabase(testPostgresUrl(), `nul_${randomBytes(4).toString('hex')}`);
    const db = openDatabase(url);
    try {
      const value = { comment: 'rejet\u0000motif', nested: ['a\u0000'] };
      await expect(sql`select ${JSON.stringify(value)}::jsonb`.execute(db)).rejects.toThrow(/unicode/i);
      const { rows } = await sql<{ v: unknown }>`select ${jsonText(value)}::jsonb as v`.execute(db);
      expect(rows[0].v).toEqual({ comment: 'rejet\ufffdmotif', nested: ['a\ufffd'] });
    } finally {
      await db.destroy();
    }
  });
});
