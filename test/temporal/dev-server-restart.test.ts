import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { readState, startDevServer, type DevServer } from '../../scripts/temporal';
import { InvoiceStatus, SEARCH_ATTRIBUTES } from '../../workflows/contracts/search-attributes';
import { uniqueTaskQueue, uniqueWorkflowId } from '../helpers/temporal';

async function withClient<T>(address: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await fn(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

describe('startDevServer on a SQLite file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'temporal-restart-'));
  const dbFile = path.join(dir, 'temporal.sqlite');
  let server: DevServer | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a workflow across a restart and registers search attributes added since', async () => {
    // First life: only one attribute, and a workflow that stays open (no worker polls its queue).
    server = await startDevServer({ dbFile, stateDir: dir, searchAttributes: [InvoiceStatus] });
    const workflowId = uniqueWorkflowId('restart');
    const firstRunId = await withClient(server.address, async (client) => {
      const handle = await client.workflow.start('connectivitySmokeWorkflow', {
        workflowId,
        taskQueue: uniqueTaskQueue('nobody-polls'),
        args: [{ url: 'http://127.0.0.1:9/' }],
      });
      return handle.firstExecutionRunId;
    });
    expect((await readState(dir))?.pid).toBe(server.pid);
    const firstAddress = server.address;
    await server.stop();
    expect(await readState(dir)).toBeUndefined();

    // Second life on the same file and port, with every attribute.
    server = await startDevServer({ dbFile, stateDir: dir, port: Number(firstAddress.split(':')[1]) });
    await withClient(server.address, async (client) => {
      const description = await client.workflow.getHandle(workflowId).describe();
      expect(description.runId).toBe(firstRunId);
      expect(description.status.name).toBe('RUNNING');
      const { customAttributes } = await client.connection.operatorService.listSearchAttributes({
        namespace: 'default',
      });
      expect(Object.keys(customAttributes)).toEqual(
        expect.arrayContaining(SEARCH_ATTRIBUTES.map((key) => key.name)),
      );
    });
  });
});
