import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ThreadedSubmissionChecker } from '../../src/adapters/threaded-submission-checker';
import { defineSubmissionCheckerContract } from '../contracts/submission-checker.contract';

// The intake's checker on its pool of threads (the compiled thread module: npm test builds first), held
// to the contract the inline checker is held to in the unit layer.
const scratch = mkdtempSync(path.join(tmpdir(), 'mf-threaded-checker-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

defineSubmissionCheckerContract('threaded (piscina)', () =>
  Promise.resolve(
    new ThreadedSubmissionChecker(2, {
      roots: { training: path.join(scratch, 'training'), publicEval: path.join(scratch, 'public-eval') },
      logLevel: 'silent',
    }),
  ),
);
