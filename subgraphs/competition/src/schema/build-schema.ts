import { buildFederatedSchema, type ReferenceResolvers } from '@medforge/shared-schema';
import type { GraphQLSchema } from 'graphql';

import { CompetitionResolver, DatasetResolver, ViewerLeaderboardResolver } from './competition.resolver';
import {
  CompetitionCapResolver,
  SubmissionQueryResolver,
  SubmissionSecretsResolver,
  SubmitPredictionResolver,
} from './submission.resolver';
import { SubmissionResolver, UserSubmissionsResolver, userReference } from './user.resolver';
import { User } from './user.type';

export function buildCompetitionSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        CompetitionResolver,
        ViewerLeaderboardResolver,
        DatasetResolver,
        UserSubmissionsResolver,
        SubmissionResolver,
        SubmitPredictionResolver,
        CompetitionCapResolver,
        SubmissionQueryResolver,
        SubmissionSecretsResolver,
      ],
      orphanedTypes: [User],
    },
    userReference as unknown as ReferenceResolvers,
  );
}
