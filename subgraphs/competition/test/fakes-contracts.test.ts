import { defineScoringQueueContract } from './contracts/scoring-queue.contract';
import { InMemoryScoringQueue } from './fakes/in-memory-scoring-queue';

// The fake the intake's tests use keys, runs and retries jobs as bull does (integration/bull-scoring-queue.test.ts).
defineScoringQueueContract('InMemoryScoringQueue', async () => ({ queue: new InMemoryScoringQueue(3), attempts: 3 }));
