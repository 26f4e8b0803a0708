import { buildFederatedSchema, type ReferenceResolvers } from '@medforge/shared-schema';
import type { GraphQLSchema } from 'graphql';

import { AdminGpuResolver, AdminPackResolver, AdminSessionResolver } from './admin.resolver';
import { CatalogResolver } from './catalog.resolver';
import { GpuTelemetryResolver } from './gpu-telemetry.resolver';
import { NotificationSettingsResolver } from './notification-settings.resolver';
import { SessionResolver, sessionReference } from './session.resolver';
import { SessionCommandsResolver } from './session-commands.resolver';
import { PackLimitsResolver, SessionLimitsResolver, UserLimitsResolver } from './session-limits.resolver';
import { SessionRouteResolver } from './session-route.resolver';
import { Session } from './session.type';
import { UserSessionsResolver, userReference } from './user.resolver';
import { User } from './user.type';
import { UserSnapshotsResolver, WorkspaceSnapshotResolver } from './workspace-snapshot.resolver';
import { UsageResolver } from './usage.resolver';
import { GpuReservationResolver } from './gpu-reservation.resolver';

export function buildSessionRuntimeSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        CatalogResolver,
        SessionResolver,
        SessionCommandsResolver,
        SessionRouteResolver,
        UserSessionsResolver,
        WorkspaceSnapshotResolver,
        UserSnapshotsResolver,
        SessionLimitsResolver,
        PackLimitsResolver,
        UserLimitsResolver,
        GpuTelemetryResolver,
        AdminGpuResolver,
        AdminSessionResolver,
        AdminPackResolver,
        NotificationSettingsResolver,
        UsageResolver,
        GpuReservationResolver,
      ],
      // Entities reachable only through federation must be kept explicitly.
      orphanedTypes: [User, Session],
    },
    {
      ...userReference,
      ...sessionReference,
    } as unknown as ReferenceResolvers,
  );
}
