import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { testEnv } from '@medforge/shared-schema/testing';

import type { TestStack } from './stack';

const ENTRY = path.resolve(__dirname, '..', '..', 'subgraphs', 'competition', 'dist', 'worker', 'main.js');

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** SIGKILL: a crash, nothing cleaned up. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real scoring worker as its own process (compiled: `npm run build`; npm test builds first), wired
 * to a test stack's database, queue and files.
 */
export async function startScoringWorker(
  stack: TestStack,
  holdoutsDir: string,
  env: Record<string, string> = {},
): Promise<WorkerProcess> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build first`);
  const child = spawn(process.execPath, [ENTRY], {
    env: {
      ...process.env,
      ...testEnv({
        LOG_LEVEL: 'info',
        COMPETITION_DB_NAME: stack.pipeline.competitionDb,
        SUBMISSIONS_DIR: stack.pipeline.submissionsDir,
        SCORING_QUEUE_NAME: stack.pipeline.scoringQueue,
        TEST_HOLDOUTS_DIR: holdoutsDir,
        ...env,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const collect = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`scoring worker did not start:\n${log}`)), 20_000);
    const check = () => {
      if (log.includes('scoring worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`scoring worker exited with ${code}:\n${log}`));
    });
  });
  return {
    child,
    output: () => log,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
