import { randomBytes, randomUUID } from 'node:crypto';

import { BullScoringQueue } from '../src/adapters/bull-scoring-queue';

/** The bull adapter on the machine's real Redis: what the in-memory queue of the unit tests stands for. */
describe('BullScoringQueue on the real Redis', () => {
  const queue = new BullScoringQueue(
    `mf-test-queue-${randomBytes(4).toString('hex')}`,
    process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0',
    5,
  );

  afterAll(() => queue.close());

  it('keys jobs by submission id, runs them, and requeues a finished one', async () => {
    const id = randomUUID();
    await queue.enqueue(id);
    await queue.enqueue(id); // a no-op: the same job id
    expect(await queue.isPending(id)).toBe(true);

    const seen: string[] = [];
    let gaveUp: [string, number] | null = null;
    let fail = true;
    queue.consume(
      1,
      async (submissionId) => {
        seen.push(submissionId);
        if (fail) throw new Error('scorer crashed');
        return 'scored';
      },
      (submissionId, attempts) => (gaveUp = [submissionId, attempts]),
    );
    await waitFor(() => gaveUp !== null, 15_000); // three attempts with 1 s and 2 s of backoff
    expect(gaveUp).toEqual([id, 3]);
    expect(seen).toEqual([id, id, id]);
    expect(await queue.isPending(id)).toBe(false);

    fail = false;
    await queue.enqueue(id); // the failed job still holds the id: nothing happens
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toHaveLength(3);
    await queue.requeue(id);
    await waitFor(() => seen.length === 4, 5_000);
    await waitFor(async () => !(await queue.isPending(id)), 5_000);
  }, 30_000);
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
