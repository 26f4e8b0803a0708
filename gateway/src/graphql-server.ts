import type { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { type Logger, makeFormatError } from '@medforge/shared-schema';
import type { GraphQLFormattedError } from 'graphql';

import type { LoginCookieWriter } from './auth/login-cookie-writer';
import type { GatewayContext } from './context';
import { queryLimitRules } from './plugins/query-limits';
import { introspectionGuard, loginCookiePlugin, originGuard, tokenScopeGuard } from './plugins/request-guards';

/**
 * The public GraphQL server over the federated gateway. Introspection is executed for everyone Apollo
 * lets through and filtered per request by `introspectionGuard` (admins, or development); the Sandbox
 * landing page is likewise gated per request in front of this server.
 */
export function createGraphQLServer(
  gateway: ApolloGateway,
  logger: Logger,
  development: boolean,
  cookies: LoginCookieWriter,
) {
  const formatError = makeFormatError(logger);
  return new ApolloServer<GatewayContext>({
    gateway,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    validationRules: queryLimitRules(),
    formatError: (formatted: GraphQLFormattedError, error: unknown) =>
      formatError(sanitizeSubgraphError(formatted, logger), error),
    plugins: [
      ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: true }),
      originGuard(),
      tokenScopeGuard(),
      introspectionGuard(development),
      loginCookiePlugin(cookies),
    ],
  });
}

const UNAVAILABLE: GraphQLFormattedError['extensions'] = { code: 'UPSTREAM_UNAVAILABLE' };
const UNAVAILABLE_MESSAGE = 'A MedForge service is unavailable; try again shortly';

/**
 * Subgraph failures are the platform's, not the client's: a subgraph that cannot be reached, or that
 * answered with an HTTP error (the gateway attaches the raw response, URL included), becomes
 * UPSTREAM_UNAVAILABLE without those details. The gateway's note of which subgraph answered is dropped.
 */
function sanitizeSubgraphError(formatted: GraphQLFormattedError, logger: Logger): GraphQLFormattedError {
  const { serviceName, response, ...extensions } = formatted.extensions ?? {};
  if (response !== undefined) {
    logger.error(
      { subgraph: serviceName, response, message: formatted.message },
      'subgraph answered with an HTTP error',
    );
    return {
      message: UNAVAILABLE_MESSAGE,
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: UNAVAILABLE,
    };
  }
  const code = extensions['code'];
  const unreachable =
    (code === undefined || code === 'INTERNAL_SERVER_ERROR') &&
    /ECONNREFUSED|ECONNRESET|fetch failed|socket hang up|ETIMEDOUT|timed out/.test(formatted.message);
  if (unreachable) return { ...formatted, message: UNAVAILABLE_MESSAGE, extensions: UNAVAILABLE };
  return { ...formatted, extensions };
}
