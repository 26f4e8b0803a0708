import 'reflect-metadata';

import { runService } from '@medforge/shared-schema';

import { startIdentity } from './app';
import { deprecatedSettingsIn, loadIdentityConfig } from './config';

for (const notice of deprecatedSettingsIn()) process.stderr.write(`identity: ${notice}\n`);
runService('identity', () => startIdentity(loadIdentityConfig()));
