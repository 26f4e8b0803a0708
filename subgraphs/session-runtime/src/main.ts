import 'reflect-metadata';

import { runService } from '@medforge/shared-schema';

import { startSessionRuntime } from './app';
import { loadSessionRuntimeConfig } from './config';

runService('session-runtime', () => startSessionRuntime(loadSessionRuntimeConfig()));
