import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { ensureDatabase } from '../../scripts/postgres';
import { databaseAnswers, openDatabase, prepareDatabase } from '../../platform/database';
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
});
