import { randomUUID } from 'node:crypto';

import type { ScoringConsumer } from '../../src/ports/scoring-queue';

export interface ScoringQueueHarness {
  /** A queue of its own (a consumer attaches once per queue). */
  queue: ScoringConsumer;
  /** How many times a failing job runs before the queue gives up on it. */
  attempts: number;
}

/**
 * What every ScoringQueue does: run against the in-memory fake and bull on the real Redis, so the intake's
 * unit tests rest on a fake that keys, runs and retries jobs as the real queue does.
 */
export function defineScoringQueueContract(label: string, make: () => Promise<ScoringQueueHarness>): void {
  describe(`ScoringQueue contract: ${label}`, () => {
    const opened: ScoringConsumer[] = [];
    const fresh = async (): Promise<ScoringQueueHarness> => {
      const harness = await make();
      opened.push(harness.queue);
      return harness;
    };

    afterAll(async () => {
      for (const queue of opened) await queue.close();
    });

    it('keys jobs by submission id: enqueued twice, run once, pending until run; requeue runs it again', async () => {
      const { queue } = await fresh();
      const id = randomUUID();
      expect(await queue.isPending(id)).toBe(false);
      await queue.enqueue(id);
      await queue.enqueue(id);
      expect(await queue.isPending(id)).toBe(true);

      const seen: string[] = [];
      queue.consume(1, async (submissionId) => seen.push(submissionId), fail('gave up'));
      await waitFor(async () => seen.length === 1 && !(await queue.isPending(id)));
      await queue.enqueue(id); // the finished job still holds its id
      await settle();
      expect(seen).toEqual([id]);
      await queue.requeue(id);
      await waitFor(async () => seen.length === 2 && !(await queue.isPending(id)));
    });

    it('retries a failing job up to its attempts, telling each failure and then giving up once', async () => {
      const { queue, attempts } = await fresh();
      const id = randomUUID();
      const failures: number[] = [];
      const gaveUp: Array<[string, number, string]> = [];
      let broken = true;
      let runs = 0;
      queue.consume(
        1,
        async () => {
          runs++;
          if (broken) throw new Error('scorer crashed');
          return 'scored';
        },
        (submissionId, made, error) => gaveUp.push([submissionId, made, error.message]),
        (_submissionId, attempt) => failures.push(attempt),
      );
      await queue.enqueue(id);
      await waitFor(() => gaveUp.length === 1, 20_000); // bull waits 1 s and 2 s between attempts
      expect(gaveUp).toEqual([[id, attempts, 'scorer crashed']]);
      expect(failures).toEqual(Array.from({ length: attempts }, (_, i) => i + 1));
      expect(runs).toBe(attempts);
      expect(await queue.isPending(id)).toBe(false);

      broken = false;
      await queue.requeue(id); // an admin's rescore: a fresh job with every attempt again
      await waitFor(async () => runs === attempts + 1 && !(await queue.isPending(id)));
      await settle();
      expect(gaveUp).toHaveLength(1);
    }, 30_000);

    it('runs at most `concurrency` jobs at once, and every job', async () => {
      const { queue } = await fresh();
      const ids = Array.from({ length: 5 }, () => randomUUID());
      for (const id of ids) await queue.enqueue(id);
      let active = 0;
      let most = 0;
      const done = new Set<string>();
      queue.consume(
        2,
        async (submissionId) => {
          most = Math.max(most, ++active);
          await new Promise((resolve) => setTimeout(resolve, 150));
          active--;
          done.add(submissionId);
        },
        fail('gave up'),
      );
      await waitFor(() => done.size === ids.length);
      expect(most).toBe(2);
    });
  });
}

function fail(what: string): () => never {
  return () => {
    throw new Error(`unexpected: ${what}`);
  };
}

/** Long enough for a wrongly queued job to have started. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
