import 'reflect-metadata';

import { runService } from '@medforge/shared-schema';

import { startIdentity } from './app';
import { loadIdentityConfig } from './config';

runService('identity', () => startIdentity(loadIdentityConfig()));
