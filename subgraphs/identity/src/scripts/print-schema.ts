import 'reflect-metadata';

import { writeSubgraphSdl } from '@medforge/shared-schema';

import { buildIdentitySchema } from '../schema/build-schema';

writeSubgraphSdl('identity', buildIdentitySchema);
