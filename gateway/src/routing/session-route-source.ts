import { enumValueOf, Exposure, type ServiceClient, type SessionRoute, SessionStatus } from '@medforge/shared-schema';

import { SessionRouteDocument } from '../generated/internal-operations';

export interface SessionRouteSource {
  lookup(slug: string, requestId: string): Promise<SessionRoute | null>;
}

/**
 * session-runtime's @inaccessible `sessionRoute`, asked directly (it is not in the public API;
 * session-runtime-operations.graphql). GraphQL sends enums by name: mapped to the platform's values.
 */
export class SubgraphSessionRouteSource implements SessionRouteSource {
  constructor(private readonly sessionRuntime: ServiceClient) {}

  async lookup(slug: string, requestId: string): Promise<SessionRoute | null> {
    const { sessionRoute: route } = await this.sessionRuntime.query(SessionRouteDocument, { slug }, requestId);
    if (!route) return null;
    const exposure = enumValueOf(Exposure, route.exposure);
    const status = enumValueOf(SessionStatus, route.status);
    if (!exposure || !status)
      throw new Error(`session-runtime answered an unknown enum name: ${JSON.stringify(route)}`);
    return { ...route, exposure, status };
  }
}
