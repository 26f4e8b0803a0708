import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';

/**
 * Bounds on what one GraphQL document may ask for, so a single request cannot make the gateway and the
 * subgraphs do unbounded work (1,000 aliases of one field, a 200-level query). Far above what the console
 * and the REST shim send (their deepest operations are 5 levels, their most aliased about 20): a client
 * that meets them gets a GRAPHQL_VALIDATION_FAILED error naming the limit, before anything runs.
 */
export const QUERY_LIMITS = { maxDepth: 12, maxAliases: 40, maxCost: 5000 } as const;

/**
 * graphql-armor's rules throw by default, which Apollo turns into a 500: they report instead, as
 * validation errors (HTTP 400, GRAPHQL_VALIDATION_FAILED, the limit in the message).
 */
const report = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/** The same rules for HTTP queries and mutations and for websocket subscriptions. */
export function queryLimitRules(): ValidationRule[] {
  return [
    maxDepthRule({ n: QUERY_LIMITS.maxDepth, ignoreIntrospection: true, ...report }),
    maxAliasesRule({ n: QUERY_LIMITS.maxAliases, ...report }),
    costLimitRule({ maxCost: QUERY_LIMITS.maxCost, ignoreIntrospection: true, ...report }),
  ];
}
