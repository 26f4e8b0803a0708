import { randomBytes } from 'node:crypto';

import { BullScoringQueue, SCORING_ATTEMPTS } from '../../src/adapters/bull-scoring-queue';
import { defineScoringQueueContract } from '../contracts/scoring-queue.contract';

// The bull adapter on the machine's real Redis: what the in-memory queue of the unit tests stands for.
defineScoringQueueContract('BullScoringQueue on the real Redis', async () => ({
  queue: new BullScoringQueue(
    `mf-test-queue-${randomBytes(4).toString('hex')}`,
    process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0',
    5,
  ),
  attempts: SCORING_ATTEMPTS,
}));
