import 'reflect-metadata';

import { writeSubgraphSdl } from '@medforge/shared-schema';

import { buildCompetitionSchema } from '../schema/build-schema';

writeSubgraphSdl('competition', buildCompetitionSchema);
