import { sql, type Kysely } from 'kysely';

/**
 * Every write to `connections` notifies `connection_changes` with the record's id once it commits:
 * workers keep connection records between Chorus calls and forget one when it changes
 * (platform/connection-changes.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create function notify_connection_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('connection_changes', coalesce(new.id, old.id));
      return null;
    end
  $$`.execute(db);
  await sql`create trigger connections_changed after insert or update or delete on connections
    for each row execute function notify_connection_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger connections_changed on connections`.execute(db);
  await sql`drop function notify_connection_change()`.execute(db);
}
