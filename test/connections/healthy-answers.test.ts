import { sharingHealthyAnswers } from '../../activities/connection';
import type { ConnectionHealth } from '../../activities/readiness';
import type { ConnectionRecord } from '../../platform/connections';

/** A burst of invoices asks a connection's health once, and a repaired connection is seen at once. */
describe('connection health answers shared within a worker', () => {
  const connection = (id: string) => ({ id }) as ConnectionRecord;

  function counting(answers: ConnectionHealth[]) {
    const asked: string[] = [];
    const health = async (c: ConnectionRecord): Promise<ConnectionHealth> => {
      asked.push(c.id);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return answers[Math.min(asked.length - 1, answers.length - 1)];
    };
    return { asked, health };
  }

  it('asks once for concurrent questions and keeps a healthy answer for the time given', async () => {
    const { asked, health } = counting([{ healthy: true }]);
    const shared = sharingHealthyAnswers(health, 200);
    const answers = await Promise.all(Array.from({ length: 50 }, () => shared(connection('c1'))));
    expect(answers.every((a) => a.healthy)).toBe(true);
    expect(asked).toEqual(['c1']);
    await shared(connection('c1'));
    expect(asked).toEqual(['c1']);
    // Another connection is asked on its own.
    await shared(connection('c2'));
    expect(asked).toEqual(['c1', 'c2']);
    // Past the time given, the connection is asked again.
    await new Promise((resolve) => setTimeout(resolve, 250));
    await shared(connection('c1'));
    expect(asked).toEqual(['c1', 'c2', 'c1']);
  });

  it('never keeps an unhealthy answer: the next question asks again and sees the repair', async () => {
    const { asked, health } = counting([
      { healthy: false, reason: { en: 'refused', fr: 'refusé' } },
      { healthy: true },
    ]);
    const shared = sharingHealthyAnswers(health, 60_000);
    const first = await Promise.all([shared(connection('c1')), shared(connection('c1'))]);
    expect(first.map((a) => a.healthy)).toEqual([false, false]);
    expect(asked).toHaveLength(1);
    expect((await shared(connection('c1'))).healthy).toBe(true);
    expect(asked).toHaveLength(2);
  });

  it('does not keep a failed question', async () => {
    let calls = 0;
    const shared = sharingHealthyAnswers(async () => {
      calls += 1;
      if (calls === 1) throw new Error('query timed out');
      return { healthy: true };
    }, 60_000);
    await expect(shared(connection('c1'))).rejects.toThrow('query timed out');
    expect((await shared(connection('c1'))).healthy).toBe(true);
    expect(calls).toBe(2);
  });
});
