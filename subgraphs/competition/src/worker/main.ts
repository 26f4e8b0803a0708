import 'reflect-metadata';

import { runService } from '@medforge/shared-schema';

import { startScoringWorker } from './start-worker';
import { loadScoringWorkerConfig } from './worker-config';

runService('scoring-worker', () => startScoringWorker(loadScoringWorkerConfig()));
