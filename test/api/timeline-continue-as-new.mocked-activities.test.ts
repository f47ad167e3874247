/**
 * The audit timeline of an invoice whose workflow continued as new (MOCKED ACTIVITIES, on a dev
 * server of its own that suggests continue-as-new early; payloads encrypted): the timeline follows
 * every run, and the raw history serves any run, decoded for auditors only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import got, { type Got } from 'got';
import { ApiKeyRegistry } from '../../api/auth';
import { startApiServer, type ApiServer } from '../../api/server';
import { createTestRecords } from '../helpers/database';
import type { AuditEntry } from '../../api/timeline';
import { FileSystemBlobStore } from '../../platform/blob-store';
import { FileConnectionDirectory } from '../../platform/connections';
import { createLogger } from '../../platform/logger';
import { AesGcmPayloadCodec, dataConverterFor } from '../../platform/payload-codec';
import {
  invoiceThroughContinueAsNew,
  startEarlyContinueAsNewServer,
  type EarlyContinueAsNewServer,
} from '../helpers/continue-as-new';
import { bundleWorkflowsOnce } from '../helpers/temporal';

describe('timeline across continue-as-new (mocked activities, encrypted payloads)', () => {
  let server: EarlyContinueAsNewServer;
  let apiServer: ApiServer;
  let api: Got;
  let workflowId: string;
  let records: Awaited<ReturnType<typeof createTestRecords>>;

  beforeAll(async () => {
    server = await startEarlyContinueAsNewServer();
    const codec = new AesGcmPayloadCodec([{ id: 'k1', key: randomBytes(32) }]);
    const dataConverter = dataConverterFor(codec);
    const { env } = server;
    const client = new Client({ connection: env.connection, namespace: env.namespace, dataConverter });
    ({ workflowId } = await invoiceThroughContinueAsNew({
      env,
      client,
      workflowBundle: await bundleWorkflowsOnce(),
      dataConverter,
    }));
    const dataDir = mkdtempSync(path.join(tmpdir(), 'timeline-can-'));
    records = await createTestRecords('timeline_can');
    apiServer = await startApiServer({
      db: records.db,
      webhookTargets: records.webhookTargets,
      webhookSecrets: records.webhookSecrets,
      client,
      codec,
      keys: ApiKeyRegistry.development(),
      logger: createLogger({ name: 'timeline-can', level: 'silent' }),
      blobs: new FileSystemBlobStore(path.join(dataDir, 'blobs')),
      connections: new FileConnectionDirectory(path.join(dataDir, 'connections.json')),
      taskQueue: 'unused',
      port: 0,
    });
    api = got.extend({
      prefixUrl: apiServer.url,
      throwHttpErrors: false,
      retry: { limit: 0 },
      headers: { authorization: 'Bearer dev-key-auditor' },
    });
  });
  afterAll(async () => {
    await apiServer?.close();
    await records?.close();
    await server?.stop();
  });

  it('follows every run, says where the workflow continued as new, and shows each Chorus status once', async () => {
    const path = `v1/invoices/${encodeURIComponent(workflowId)}/history`;
    const answer = await api.get(path, { responseType: 'json' });
    expect(answer.statusCode).toBe(200);
    const { runs, entries } = answer.body as { runs: Array<{ runId: string }>; entries: AuditEntry[] };
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(entries.map((e) => e.runId))).toEqual(new Set(runs.map((r) => r.runId)));
    const handovers = entries.filter((e) => e.kind === 'run.continued_as_new');
    expect(handovers).toHaveLength(runs.length - 1);
    handovers.forEach((h, i) => {
      expect(h.runId).toBe(runs[i].runId);
      expect(h.details.newRunId).toBe(runs[i + 1].runId);
    });
    const continued = entries.filter((e) => e.kind === 'run.started' && e.details.previousRunId);
    expect(continued.map((e) => e.runId)).toEqual(runs.slice(1).map((r) => r.runId));
    expect(continued[0].summary).toMatch(/continued from run .*carrying status TRACKING/);

    const chorus = entries.filter((e) => e.kind === 'chorus.status');
    expect(chorus).toHaveLength(32); // DEPOSEE, the 30 signalled statuses and MISE_EN_PAIEMENT, each once
    expect(chorus.map((e) => e.details.chorusAt)).toContain('2026-12-01T00:29:00.000Z');
    const transitions = entries.filter((e) => e.kind === 'status' && e.details.to);
    expect(transitions.map((e) => e.details.to)).toEqual([
      'CHECKING',
      'UPLOADING',
      'SUBMITTING',
      'SUBMITTED',
      'TRACKING',
      'PAID',
    ]);
    expect(entries[entries.length - 1]).toMatchObject({ kind: 'result', details: { status: 'PAID' } });
    expect(entries[entries.length - 1].runId).toBe(runs[runs.length - 1].runId);

    // The raw form: the latest run by default, any run by runId; decoded for auditors only.
    const latest = await api.get(path, {
      searchParams: { format: 'temporal' },
      headers: { authorization: 'Bearer dev-key-auditor' },
    });
    expect(latest.headers['x-temporal-run-id']).toBe(runs[runs.length - 1].runId);
    const first = await api.get(path, {
      searchParams: { format: 'temporal', runId: runs[0].runId },
      headers: { authorization: 'Bearer dev-key-auditor' },
    });
    expect(first.statusCode).toBe(200);
    const firstEvents = (JSON.parse(first.body) as { events: Array<Record<string, unknown>> }).events;
    expect(Object.keys(firstEvents[firstEvents.length - 1])).toContain(
      'workflowExecutionContinuedAsNewEventAttributes',
    );
    expect(first.body).toContain(Buffer.from('json/plain').toString('base64'));
    expect(first.body).not.toContain(Buffer.from('binary/encrypted').toString('base64'));
    const asStaff = await api.get(path, {
      searchParams: { format: 'temporal', runId: runs[0].runId },
      headers: { authorization: 'Bearer dev-key-staff' },
    });
    expect(asStaff.body).toContain(Buffer.from('binary/encrypted').toString('base64'));
  });
});
