import path from 'node:path';
import { Worker } from 'node:worker_threads';

import type { Logger } from '@medforge/shared-schema';

import type { ScoringColumns } from '../scoring/score-submission';
import type { ThreadOutcome, ThreadRequest, ThreadResponse } from './thread-protocol';

interface Slot {
  worker: Worker;
  pending: Map<number, (outcome: ThreadOutcome) => void>;
}

/**
 * Scoring threads, one per concurrent job. A thread that dies answers its pending requests with an
 * error (the job is retried) and is replaced. Needs the compiled worker (dist/worker/scoring-thread.js).
 */
export class ScoringThreads {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closing = false;

  private constructor(
    private readonly holdoutsDir: string,
    private readonly logger: Logger,
  ) {}

  static async start(count: number, holdoutsDir: string, logger: Logger): Promise<ScoringThreads> {
    const threads = new ScoringThreads(holdoutsDir, logger);
    for (let i = 0; i < count; i++) threads.slots.push(await threads.spawn());
    return threads;
  }

  score(slug: string, columns: ScoringColumns, bytes: Buffer): Promise<ThreadOutcome> {
    const slot = this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise((resolve) => {
      slot.pending.set(id, resolve);
      const request: ThreadRequest = { id, slug, columns, bytes: new Uint8Array(bytes) };
      slot.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Promise<Slot> {
    const worker = new Worker(path.join(__dirname, 'scoring-thread.js'), {
      workerData: { holdoutsDir: this.holdoutsDir },
    });
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (response: ThreadResponse) => {
      const { id, ...outcome } = response;
      slot.pending.get(id)?.(outcome as ThreadOutcome);
      slot.pending.delete(id);
    });
    worker.on('exit', (code) => {
      for (const resolve of slot.pending.values())
        resolve({ outcome: 'error', message: `scoring thread exited (${code})` });
      slot.pending.clear();
      if (this.closing) return;
      this.logger.error({ code }, 'scoring thread exited; starting another');
      void this.spawn().then((fresh) => this.slots.splice(this.slots.indexOf(slot), 1, fresh));
    });
    return new Promise((resolve, reject) => {
      worker.once('online', () => resolve(slot));
      worker.once('error', reject);
    });
  }
}
