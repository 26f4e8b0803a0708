import 'reflect-metadata';

import { writeSubgraphSdl } from '@medforge/shared-schema';

import { buildSessionRuntimeSchema } from '../schema/build-schema';

writeSubgraphSdl('session-runtime', buildSessionRuntimeSchema);
