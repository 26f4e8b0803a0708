import { parentPort, workerData } from 'node:worker_threads';

import type { HoldoutSlug } from '../holdouts/holdout-formats';
import { loadHoldouts } from '../holdouts/holdout-store';
import { SubmissionFormatError } from '../scoring/csv/submission-format-error';
import { scoreSubmission, type ScoringColumns } from '../scoring/score-submission';
import type { ThreadRequest, ThreadResponse } from './thread-protocol';

// Runs on a worker thread: parsing and metrics of large files never block the worker's event loop.
const holdouts = loadHoldouts((workerData as { holdoutsDir: string }).holdoutsDir);

parentPort!.on('message', (request: ThreadRequest) => {
  let response: ThreadResponse;
  try {
    const holdout = holdouts.get(request.slug as HoldoutSlug);
    if (!holdout) throw new Error(`no holdout for ${request.slug}`);
    const columns: ScoringColumns = request.columns;
    const score = scoreSubmission(Buffer.from(request.bytes), holdout, columns);
    response = {
      id: request.id,
      outcome: 'scored',
      score,
      holdoutSha256: holdout.sha256,
      holdoutVersion: holdout.version,
    };
  } catch (error) {
    response =
      error instanceof SubmissionFormatError
        ? { id: request.id, outcome: 'invalid', message: error.message }
        : { id: request.id, outcome: 'error', message: (error as Error).message };
  }
  parentPort!.postMessage(response);
});
