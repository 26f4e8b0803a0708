import { Exposure, type ServiceClient } from '@medforge/shared-schema';

/** What the gateway needs to know to let a request through to a session. */
export interface SessionRoute {
  sessionId: string;
  userId: string;
  exposure: Exposure;
  running: boolean;
  /** `host:port` of the session's code-server while it runs. */
  upstream: string | null;
}

export interface SessionRouteSource {
  lookup(slug: string, requestId: string): Promise<SessionRoute | null>;
}

const ROUTE_QUERY = `query SessionRoute($slug: String!) {
  sessionRoute(slug: $slug) { sessionId userId exposure status upstream }
}`;

interface RouteResult {
  sessionRoute: {
    sessionId: string;
    userId: string;
    exposure: 'EXTERNAL' | 'INTERNAL';
    status: string;
    upstream: string | null;
  } | null;
}

/** session-runtime's @inaccessible `sessionRoute`, asked directly (it is not in the public API). */
export class SubgraphSessionRouteSource implements SessionRouteSource {
  constructor(private readonly sessionRuntime: ServiceClient) {}

  async lookup(slug: string, requestId: string): Promise<SessionRoute | null> {
    const { sessionRoute: route } = await this.sessionRuntime.query<RouteResult>(ROUTE_QUERY, { slug }, requestId);
    if (!route) return null;
    return {
      sessionId: route.sessionId,
      userId: route.userId,
      exposure: route.exposure === 'INTERNAL' ? Exposure.INTERNAL : Exposure.EXTERNAL,
      running: route.status === 'RUNNING',
      upstream: route.upstream,
    };
  }
}
