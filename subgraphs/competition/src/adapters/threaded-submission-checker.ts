import { existsSync } from 'node:fs';
import path from 'node:path';

import { Piscina } from 'piscina';

import type { CheckedFormat, ContentRefusal, SubmissionChecker } from '../ports/submission-checker';

export interface CheckThreadData {
  roots: { training: string; publicEval: string };
  logLevel: string;
}

/**
 * Checks uploads on a pool of worker threads (piscina), so a large or hostile file never holds the
 * subgraph's event loop: leaderboard reads and other requests go on while it is read. The bytes are
 * copied to the thread; each thread reads the published test ids itself.
 */
export class ThreadedSubmissionChecker implements SubmissionChecker {
  private readonly pool: Piscina;

  constructor(threads: number, data: CheckThreadData) {
    this.pool = new Piscina({
      filename: compiledThreadModule(),
      name: 'check',
      workerData: data,
      // None until the first upload, and none again after a quiet minute: idle installations (and the
      // many test stacks of a CI run) keep no threads.
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 60_000,
    });
  }

  check(format: CheckedFormat, bytes: Buffer): Promise<ContentRefusal | null> {
    const { slug, id_column, target_column } = format;
    return this.pool.run({ format: { slug, id_column, target_column }, bytes }) as Promise<ContentRefusal | null>;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/**
 * The thread's compiled module. Services run from dist/; tests run the sources through ts-jest, where a
 * thread still needs JavaScript: the same file in dist/ (npm test builds before jest).
 */
function compiledThreadModule(): string {
  const here = path.join(__dirname, '..', 'submission-check-thread.js');
  if (existsSync(here)) return here;
  const built = here.replace(`${path.sep}src${path.sep}`, `${path.sep}dist${path.sep}`);
  if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build first`);
  return built;
}
