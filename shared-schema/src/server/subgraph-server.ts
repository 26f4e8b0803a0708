import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { GraphQLSchema } from 'graphql';

import { MAX_SIGNED_IN_GRAPHQL_BODY_BYTES } from './body-limits';
import { CONTEXT_HEADER, type RequestContextClaims, type SetResponseHeader, verifyContext } from '../context';
import { DomainError, httpStatusFor } from '../errors';
import type { Logger } from '../logger';
import { makeFormatError } from './format-error';
import { requestErrorLog, requestErrorOf } from './request-errors';

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, 'ok' | string>;
}

export interface SubgraphServerOptions<TContext extends object> {
  name: string;
  schema: GraphQLSchema;
  host: string;
  port: number;
  logger: Logger;
  signingSecret: string;
  contextMaxAgeMs: number;
  /** Builds the per-request resolver context from the verified claims. */
  buildContext(claims: RequestContextClaims, logger: Logger, setResponseHeader: SetResponseHeader): TContext;
  health(): Promise<HealthReport>;
  /**
   * Plain HTTP routes beside /graphql (e.g. file downloads), mounted at `/http` behind the same
   * signed-context check; a handler finds the verified claims in `res.locals.claims`.
   */
  httpRoutes?: express.Router;
}

export interface RunningSubgraph {
  url: string;
  close(): Promise<void>;
}

/**
 * HTTP front of a subgraph: `/healthz` for probes, and `/graphql` behind the signed-context check.
 * A request without a valid gateway signature is rejected before Apollo sees it.
 */
export async function startSubgraphServer<TContext extends object>(
  options: SubgraphServerOptions<TContext>,
): Promise<RunningSubgraph> {
  const { logger } = options;
  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    // Subgraphs are reachable only with a gateway signature; the gateway decides who may introspect.
    introspection: true,
    formatError: makeFormatError(logger),
    includeStacktraceInErrorResponses: false,
    // No Apollo Studio here: inline traces would only add overhead to every federated fetch.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res, next) => {
    options
      .health()
      .then((report) => res.status(report.status === 'ok' ? 200 : 503).json(report))
      .catch(next);
  });
  app.use(
    '/graphql',
    requireSignedContext(options.signingSecret, options.contextMaxAgeMs),
    // Bodies reach this point only with a valid gateway signature (checked first), so the limit can fit
    // the largest submission file inline without opening a door to anyone.
    express.json({ limit: MAX_SIGNED_IN_GRAPHQL_BODY_BYTES }),
    expressMiddleware(apollo, {
      context: ({ res }) => {
        const claims = res.locals['claims'] as RequestContextClaims;
        const requestLogger = logger.child({ request_id: claims.requestId, user_id: claims.actor?.userId });
        const setResponseHeader: SetResponseHeader = (name, value) => res.setHeader(name, value);
        return Promise.resolve(options.buildContext(claims, requestLogger, setResponseHeader));
      },
    }),
  );
  if (options.httpRoutes) {
    app.use('/http', requireSignedContext(options.signingSecret, options.contextMaxAgeMs), options.httpRoutes);
  }
  app.use((_req, res) => {
    res.status(404).json({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const refused = requestErrorOf(err, MAX_SIGNED_IN_GRAPHQL_BODY_BYTES);
    if (refused) {
      logger.info(requestErrorLog(err), 'request refused');
      res
        .status(httpStatusFor(refused.code))
        .json({ errors: [{ message: refused.detail, extensions: { code: refused.code } }] });
      return;
    }
    logger.error({ err }, 'subgraph http error');
    res.status(500).json({ errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL' } }] });
  });

  const server = await listen(app, options.host, options.port);
  const address = server.address() as AddressInfo;
  const url = `http://${options.host}:${address.port}/graphql`;
  logger.info({ url }, `${options.name} subgraph listening`);
  return {
    url,
    async close() {
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      await apollo.stop();
    },
  };
}

function requireSignedContext(secret: string, maxAgeMs: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    try {
      res.locals['claims'] = verifyContext(req.header(CONTEXT_HEADER), secret, maxAgeMs);
      next();
    } catch (error) {
      const reason = error instanceof DomainError ? error.message : 'request context rejected';
      res.status(401).json({ errors: [{ message: reason, extensions: { code: 'CONTEXT_SIGNATURE_INVALID' } }] });
    }
  };
}

function listen(app: express.Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
    server.keepAliveTimeout = 65_000;
  });
}
