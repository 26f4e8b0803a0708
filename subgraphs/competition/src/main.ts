import 'reflect-metadata';

import { runService } from '@medforge/shared-schema';

import { startCompetition } from './app';
import { loadCompetitionConfig } from './config';

runService('competition', () => startCompetition(loadCompetitionConfig()));
