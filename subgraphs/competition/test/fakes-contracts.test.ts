import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { createLogger } from '@medforge/shared-schema';

import { DirectoryArtifactStore } from '../src/adapters/directory-artifact-store';
import { DatasetFiles } from '../src/services/dataset-files';
import { InlineSubmissionChecker } from '../src/services/inline-submission-checker';
import { defineArtifactStoreContract } from './contracts/artifact-store.contract';
import { defineScoringQueueContract } from './contracts/scoring-queue.contract';
import { defineSubmissionCheckerContract } from './contracts/submission-checker.contract';
import { InMemoryScoringQueue } from './fakes/in-memory-scoring-queue';

// The fake the intake's tests use keys, runs and retries jobs as bull does (integration/bull-scoring-queue.test.ts).
defineScoringQueueContract('InMemoryScoringQueue', async () => ({ queue: new InMemoryScoringQueue(3), attempts: 3 }));

// Both run on the local disk, so their contracts belong to the unit layer; the threaded checker, which needs
// the built thread module, is held to the same contract in integration/threaded-submission-checker.test.ts.
const scratch = mkdtempSync(path.join(tmpdir(), 'mf-competition-contracts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

defineArtifactStoreContract('directory', () =>
  Promise.resolve(new DirectoryArtifactStore(path.join(scratch, 'artifacts'))),
);

defineSubmissionCheckerContract('inline', () =>
  Promise.resolve(
    new InlineSubmissionChecker(
      new DatasetFiles(
        { training: path.join(scratch, 'training'), publicEval: path.join(scratch, 'public-eval') },
        createLogger('competition-test', 'silent'),
      ),
    ),
  ),
);
