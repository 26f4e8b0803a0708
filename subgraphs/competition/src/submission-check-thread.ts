import { workerData } from 'node:worker_threads';

import { pino } from 'pino';

import type { CheckedFormat, ContentRefusal } from './ports/submission-checker';
import type { CheckThreadData } from './adapters/threaded-submission-checker';
import { DatasetFiles } from './services/dataset-files';
import { InlineSubmissionChecker } from './services/inline-submission-checker';

// A thread of the intake's checking pool (adapters/threaded-submission-checker): its own view of the
// published data (test ids cached by checksum, as in the main thread) and the same checker the main
// thread would run. It loads only what checking needs (pino, not the whole service stack), so a thread
// starts in a fraction of a second.
const data = workerData as CheckThreadData;
const checker = new InlineSubmissionChecker(
  new DatasetFiles(data.roots, pino({ name: 'competition-check', level: data.logLevel })),
);

export function check(task: { format: CheckedFormat; bytes: Uint8Array }): Promise<ContentRefusal | null> {
  return checker.check(task.format, Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength));
}
