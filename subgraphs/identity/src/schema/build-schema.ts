import { buildFederatedSchema, type ReferenceResolvers } from '@medforge/shared-schema';
import type { GraphQLSchema } from 'graphql';

import { AccountResolver } from './account.resolver';
import { AdminUserResolver } from './admin.resolver';
import { ApiTokenResolver } from './api-token.resolver';
import { AuthResolver } from './auth.resolver';
import { SshKeyResolver } from './ssh-key.resolver';
import { UserResolver, userReference } from './user.resolver';

export function buildIdentitySchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [UserResolver, AuthResolver, AdminUserResolver, SshKeyResolver, ApiTokenResolver, AccountResolver] },
    userReference as unknown as ReferenceResolvers,
  );
}
