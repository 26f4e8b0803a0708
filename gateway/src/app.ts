import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { expressMiddleware } from '@as-integrations/express5';
import {
  createLogger,
  requestErrorLog,
  MAX_ANONYMOUS_GRAPHQL_BODY_BYTES,
  requestErrorOf,
  GPU_TELEMETRY_CHANNEL,
  type GpuTelemetryEvent,
  SESSION_EVENTS_CHANNEL,
  type SessionEvent,
  SUBMISSION_EVENTS_CHANNEL,
  type SubmissionEvent,
} from '@medforge/shared-schema';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { GraphQLSchema } from 'graphql';

import { Authenticator } from './auth/authenticator';
import { listenForAuthInvalidations } from './auth/invalidation-listener';
import { LoginCookieWriter } from './auth/login-cookie-writer';
import { allowedOrigins, type GatewayConfig, subgraphUrls } from './config';
import { createGateway } from './federation/create-gateway';
import { createGatewayAdapters, type GatewayAdapters } from './gateway-adapters';
import { createGraphQLServer } from './graphql-server';
import { graphqlIdeRoutes } from './ide/graphql-ide';
import { mayExplore } from './plugins/request-guards';
import { probeSubgraphs } from './health';
import { refuseRejectedToken } from './http/refuse-rejected-token';
import { graphqlEndpoint, isGraphQLRequestWithBody } from './http/graphql-endpoint';
import { establishRequestContext, gatewayContextOf, type RequestContextDeps } from './http/request-context';
import { assignRequestId } from './http/request-id';
import { SubgraphFileProxy } from './rest/file-proxy';
import { OperationRunner } from './rest/operation-runner';
import { sendProblem } from './rest/respond';
import { restRouter } from './rest/rest-router';
import { SessionRouteCache } from './routing/session-route-cache';
import { isSessionProxyRequest, sessionProxyEndpoint, type TrustProxy } from './routing/session-proxy-endpoint';
import { ConnectionIdentities } from './subscriptions/connection-identity';
import { SubscriptionFeeds } from './subscriptions/feeds';
import { buildSubscriptionSchema } from './subscriptions/subscription-schema';
import { attachSubscriptionServer } from './subscriptions/websocket-server';

export interface GatewayApp {
  url: string;
  /** Open websocket connections, and the feeds their subscriptions share (see subscriptions/feeds). */
  subscriptionStats(): { connections: number; feeds: number; members: number };
  stop(): Promise<void>;
}

/** How often open websocket connections are checked for a stale identity (an expired login ends delivery). */
const IDENTITY_SWEEP_MS = 5_000;
/** Longer than Caddy's idle upstream connection timeout (2 min). */
const PROXY_KEEP_ALIVE_MS = 125_000;

/**
 * Starts the public entry point: /graphql (federated), /api/v2 (REST shim) and /healthz. Adapters default
 * to the real ones the config names; a test passes its own for any of them.
 */
export async function startGateway(
  config: Readonly<GatewayConfig>,
  adapters: Partial<GatewayAdapters> = {},
): Promise<GatewayApp> {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const development = config.MEDFORGE_ENV !== 'production';
  const { identity, sessionRoutes: routeSource, events, clock } = createGatewayAdapters(config, logger, adapters);
  const authenticator = new Authenticator(identity, config.AUTH_CACHE_TTL_MS, logger, clock);
  // Authenticator first: a connection re-checking its identity must not get the dropped answer back.
  const connectionIdentities = new ConnectionIdentities();
  connectionIdentities.startSweeping(IDENTITY_SWEEP_MS);
  const invalidations = await listenForAuthInvalidations(events, [authenticator, connectionIdentities], logger);
  const cookies = new LoginCookieWriter(
    {
      name: config.AUTH_COOKIE_NAME,
      domain: config.AUTH_COOKIE_DOMAIN ?? config.MEDFORGE_DOMAIN,
      secure: config.MEDFORGE_ENV === 'production' || config.MEDFORGE_PUBLIC_URL.startsWith('https:'),
    },
    authenticator,
  );
  const gateway = createGateway(config);
  const apollo = createGraphQLServer(gateway, logger, development, cookies);
  const sessionEvents = await events.open<SessionEvent>(SESSION_EVENTS_CHANNEL);
  const submissionEvents = await events.open<SubmissionEvent>(SUBMISSION_EVENTS_CHANNEL);
  const gpuTelemetryEvents = await events.open<GpuTelemetryEvent>(GPU_TELEMETRY_CHANNEL);
  const sessionRoutes = new SessionRouteCache(
    routeSource,
    { ttlMs: config.SESSION_ROUTE_CACHE_TTL_MS, negativeTtlMs: 2_000, maxEntries: 10_000 },
    clock,
  );
  sessionEvents.listen((event) => sessionRoutes.invalidate(event.slug));
  sessionEvents.onReconnect(() => sessionRoutes.clear());
  let subscriptionSchema: GraphQLSchema | null = null;
  const feeds = new SubscriptionFeeds(logger, { maxQueued: config.SUBSCRIPTION_MAX_QUEUED });
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    subscriptionSchema = buildSubscriptionSchema(
      apiSchema,
      { sessions: sessionEvents, submissions: submissionEvents, gpuTelemetry: gpuTelemetryEvents },
      apollo,
      feeds,
      { leaderboardRefreshMs: config.LEADERBOARD_REFRESH_MS },
    );
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // Only Caddy's X-Forwarded-For/-Host are believed: the client address for rate limits, the session host
  // for forward auth.
  app.set('trust proxy', config.TRUSTED_PROXIES);
  app.use(assignRequestId);
  app.get('/healthz', (_req, res, next) => {
    probeSubgraphs(subgraphUrls(config))
      .then((report) => res.status(report.status === 'ok' ? 200 : 503).json(report))
      .catch(next);
  });
  const requestContext: RequestContextDeps = {
    authenticator,
    cookieName: config.AUTH_COOKIE_NAME,
    allowedOrigins: allowedOrigins(config),
    trustProxy: app.get('trust proxy fn') as TrustProxy,
  };
  app.use(establishRequestContext(requestContext));
  app.use(['/graphql', '/api/v2'], refuseRejectedToken);
  // Who may see the API's shape (introspection, the IDE): administrators; in development, anyone signed in.
  const refuseUnlessExplorer = (res: Response): boolean => {
    const { actor } = gatewayContextOf(res);
    if (mayExplore(actor, development)) return false;
    if (actor) sendProblem(res, 'FORBIDDEN', 'The GraphQL IDE is available to administrators only');
    else sendProblem(res, 'UNAUTHENTICATED', 'Sign in to use the GraphQL IDE');
    return true;
  };
  app.use(graphqlIdeRoutes(config.GRAPHQL_IDE, refuseUnlessExplorer));
  // GET /graphql (queries in the URL) only: requests with a body are served by graphqlEndpoint. Apollo's
  // integration wants `req.body` set, which the parser does (to undefined) for a request without one.
  app.get(
    '/graphql',
    express.json({ limit: MAX_ANONYMOUS_GRAPHQL_BODY_BYTES }),
    expressMiddleware(apollo, { context: ({ res }) => Promise.resolve(gatewayContextOf(res)) }),
  );
  const files = new SubgraphFileProxy(config.COMPETITION_URL, config.CONTEXT_SIGNING_SECRET, logger);
  app.use('/api/v2', restRouter(new OperationRunner(apollo), files, logger));
  app.use((req, res) => sendProblem(res, 'NOT_FOUND', `No route for ${req.method} ${req.path}`));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const refused = requestErrorOf(error, MAX_ANONYMOUS_GRAPHQL_BODY_BYTES);
    if (refused) {
      logger.info({ ...requestErrorLog(error), request_id: res.locals['requestId'] }, 'request refused');
      return sendProblem(res, refused.code, refused.detail);
    }
    logger.error({ err: error, request_id: res.locals['requestId'] }, 'gateway request failed');
    sendProblem(res, 'INTERNAL', 'Internal error');
  });

  let server: Server;
  try {
    const sessionProxy = sessionProxyEndpoint({
      routes: sessionRoutes,
      authenticator,
      cookieName: config.AUTH_COOKIE_NAME,
      domain: config.MEDFORGE_DOMAIN,
      publicUrl: new URL(config.MEDFORGE_PUBLIC_URL),
      trustProxy: requestContext.trustProxy,
      logger,
    });
    const graphql = graphqlEndpoint({ apollo, context: requestContext, logger });
    // Caddy asks the forward-auth endpoint on every proxied session request, and the console and scripts
    // send every query and mutation to POST /graphql: both bypass Express.
    const s = createServer((req, res) => {
      if (isSessionProxyRequest(req)) sessionProxy(req, res);
      else if (isGraphQLRequestWithBody(req)) graphql(req, res);
      else app(req, res);
    });
    // Caddy keeps idle upstream connections for 2 minutes; closing them sooner (Node's default is 5 s)
    // races with Caddy reusing one, and the request in flight becomes a 502.
    s.keepAliveTimeout = PROXY_KEEP_ALIVE_MS;
    server = await new Promise<Server>((resolve, reject) => {
      s.once('error', reject);
      s.listen(config.GATEWAY_PORT, config.HOST, () => resolve(s));
    });
  } catch (error) {
    connectionIdentities.stopSweeping();
    invalidations.close();
    sessionEvents.shutdown();
    submissionEvents.shutdown();
    gpuTelemetryEvents.shutdown();
    await apollo.stop();
    throw error;
  }
  const subscriptions = attachSubscriptionServer(server, {
    cookieName: config.AUTH_COOKIE_NAME,
    allowedOrigins: allowedOrigins(config),
    schema: () => subscriptionSchema,
    authenticator,
    identities: connectionIdentities,
    logger,
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST}:${port}`;
  logger.info({ url }, 'gateway listening');
  return {
    url,
    subscriptionStats: () => ({ connections: connectionIdentities.size, ...feeds.stats() }),
    async stop() {
      await subscriptions.close();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      await apollo.stop();
      connectionIdentities.stopSweeping();
      invalidations.close();
      sessionEvents.shutdown();
      submissionEvents.shutdown();
      gpuTelemetryEvents.shutdown();
    },
  };
}
