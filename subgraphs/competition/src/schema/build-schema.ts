import { buildFederatedSchema, type ReferenceResolvers } from '@medforge/shared-schema';
import type { GraphQLSchema } from 'graphql';

import { CompetitionResolver, DatasetResolver } from './competition.resolver';
import { CompetitionCapResolver, SubmitPredictionResolver } from './submission.resolver';
import { SubmissionResolver, UserSubmissionsResolver, userReference } from './user.resolver';
import { User } from './user.type';

export function buildCompetitionSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        CompetitionResolver,
        DatasetResolver,
        UserSubmissionsResolver,
        SubmissionResolver,
        SubmitPredictionResolver,
        CompetitionCapResolver,
      ],
      orphanedTypes: [User],
    },
    userReference as unknown as ReferenceResolvers,
  );
}
