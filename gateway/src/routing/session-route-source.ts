import { enumValueOf, Exposure, type ServiceClient, type SessionRoute, SessionStatus } from '@medforge/shared-schema';

export interface SessionRouteSource {
  lookup(slug: string, requestId: string): Promise<SessionRoute | null>;
}

const ROUTE_QUERY = `query SessionRoute($slug: String!) {
  sessionRoute(slug: $slug) { sessionId userId exposure status upstream }
}`;

/** The route as GraphQL sends it: enums by name. */
interface RouteResult {
  sessionRoute: (Omit<SessionRoute, 'exposure' | 'status'> & { exposure: string; status: string }) | null;
}

/** session-runtime's @inaccessible `sessionRoute`, asked directly (it is not in the public API). */
export class SubgraphSessionRouteSource implements SessionRouteSource {
  constructor(private readonly sessionRuntime: ServiceClient) {}

  async lookup(slug: string, requestId: string): Promise<SessionRoute | null> {
    const { sessionRoute: route } = await this.sessionRuntime.query<RouteResult>(ROUTE_QUERY, { slug }, requestId);
    if (!route) return null;
    const exposure = enumValueOf(Exposure, route.exposure);
    const status = enumValueOf(SessionStatus, route.status);
    if (!exposure || !status)
      throw new Error(`session-runtime answered an unknown enum name: ${JSON.stringify(route)}`);
    return { ...route, exposure, status };
  }
}
