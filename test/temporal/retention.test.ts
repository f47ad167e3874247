import { Connection } from '@temporalio/client';
import { DEFAULT_RETENTION } from '../../scripts/temporal';
import { testServer } from '../helpers/temporal';

/** Retention is set on purpose: the dev server's own default (one day) is replaced at start. */
describe('namespace retention of the embedded dev server', () => {
  it(`keeps closed workflows ${DEFAULT_RETENTION}, then the archive keeps them`, async () => {
    const { address, namespace } = testServer();
    const connection = await Connection.connect({ address });
    try {
      const described = await connection.workflowService.describeNamespace({ namespace });
      const ttl = described.config?.workflowExecutionRetentionTtl;
      expect(Number(ttl?.seconds)).toBe(30 * 86_400);
    } finally {
      await connection.close();
    }
  });
});
