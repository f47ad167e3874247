import { ChorusAccess } from '../../activities/chorus-access';
import { PostgresConnectionChanges } from '../../platform/connection-changes';
import type { ConnectionRecord } from '../../platform/connections';
import { DatabaseConnectionDirectory } from '../../platform/database-stores';
import { createLogger } from '../../platform/logger';
import { createTestRecords } from '../helpers/database';

/**
 * A worker keeps connection records between Chorus calls while it hears their changes from
 * PostgreSQL (LISTEN on a trigger's notifications), forgets one when it changes, and reads at every
 * call when it hears nothing: a real PostgreSQL, records sealed as the API seals them.
 */
describe('connection records kept between calls', () => {
  let records: Awaited<ReturnType<typeof createTestRecords>>;
  const logger = createLogger({ name: 'connection-records', level: 'silent' });
  const endpoints = { tokenUrl: 'http://127.0.0.1:9/token', apiBaseUrl: 'http://127.0.0.1:9/cpro' };

  beforeAll(async () => {
    records = await createTestRecords('connection-records');
  });

  afterAll(async () => {
    await records?.close();
  });

  function record(id: string, clientSecret: string): ConnectionRecord {
    return {
      id,
      environment: 'simulator',
      supplierSiret: '87654321000010',
      piste: { clientId: `client-${id}`, clientSecret },
      technicalAccount: { login: 'TECH_1@cpro.fr', password: 'tech-password' },
    } as ConnectionRecord;
  }

  async function until(condition: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`${what} within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** A worker's Chorus access over the database, counting its reads of connection records. */
  function workerAccess(changes: PostgresConnectionChanges) {
    const directory = new DatabaseConnectionDirectory(records.db, records.sealer);
    const reads: string[] = [];
    const connections = Object.assign(Object.create(directory) as DatabaseConnectionDirectory, {
      get: async (id: string) => {
        reads.push(id);
        return directory.get(id);
      },
    });
    const chorus = new ChorusAccess({
      connections,
      endpoints: { simulator: endpoints, sandbox: endpoints, production: endpoints },
      chorusTimeoutMs: 1_000,
      logger,
      connectionChanges: changes,
    });
    return { chorus, reads };
  }

  it('hears every write to a record, from any process, once it commits', async () => {
    const changes = PostgresConnectionChanges.start(records.url, logger);
    try {
      const heard: Array<string | undefined> = [];
      changes.subscribe((id) => heard.push(id));
      await until(() => changes.listening, 'listening');
      const api = new DatabaseConnectionDirectory(records.db, records.sealer.sealOnly());
      await api.upsert(record('heard', 'secret-1'));
      await until(() => heard.includes('heard'), 'the insert heard');
      await api.replaceCredentials('heard', {
        piste: { clientId: 'client-heard', clientSecret: 'secret-2' },
      });
      await until(() => heard.filter((id) => id === 'heard').length === 2, 'the update heard');
    } finally {
      await changes.close();
    }
    expect(changes.listening).toBe(false);
  });

  it('reads a record once while changes are heard, again after it changed, and at every call when nothing is heard', async () => {
    const changes = PostgresConnectionChanges.start(records.url, logger);
    const api = new DatabaseConnectionDirectory(records.db, records.sealer.sealOnly());
    await api.upsert(record('kept', 'secret-old'));
    const { chorus, reads } = workerAccess(changes);
    try {
      await until(() => changes.listening, 'listening');
      const first = await chorus.connection('kept');
      await chorus.connection('kept');
      await chorus.connection('kept');
      expect(reads).toEqual(['kept']);
      expect(first.record.piste.clientSecret).toBe('secret-old');

      // New credentials from the API: forgotten once heard, read again, a client built with them.
      const heard: string[] = [];
      changes.subscribe((id) => heard.push(id ?? '*'));
      await api.replaceCredentials('kept', {
        piste: { clientId: 'client-kept', clientSecret: 'secret-new' },
      });
      await until(() => heard.includes('kept'), 'the change heard');
      const after = await chorus.connection('kept');
      expect(after.record.piste.clientSecret).toBe('secret-new');
      expect(after.client).not.toBe(first.client);
      expect(reads).toEqual(['kept', 'kept']);

      // A failed call forgets it too (a change may not be heard yet).
      chorus.forget('kept');
      await chorus.connection('kept');
      expect(reads).toEqual(['kept', 'kept', 'kept']);
    } finally {
      await changes.close();
    }
    // Nothing heard any more: every call reads.
    await chorus.connection('kept');
    await chorus.connection('kept');
    expect(reads).toHaveLength(5);
  });
});
