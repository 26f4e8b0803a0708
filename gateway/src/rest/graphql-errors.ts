import { type ErrorCode, isErrorCode } from '@medforge/shared-schema';
import type { GraphQLFormattedError } from 'graphql';

/** Apollo's request-shape codes are the caller's fault: they become BAD_USER_INPUT. */
const INPUT_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST']);

export interface MappedError {
  code: ErrorCode;
  detail: string;
  extensions: Record<string, unknown>;
}

/** Picks the error a REST client should see from a GraphQL response (the first one, by code). */
export function mapGraphQLErrors(errors: readonly GraphQLFormattedError[]): MappedError {
  const first = errors[0];
  const raw = first?.extensions?.['code'];
  const code: ErrorCode = isErrorCode(raw)
    ? raw
    : typeof raw === 'string' && INPUT_CODES.has(raw)
      ? 'BAD_USER_INPUT'
      : 'INTERNAL';
  const { code: _code, stacktrace: _stack, ...extensions } = first?.extensions ?? {};
  return { code, detail: code === 'INTERNAL' ? 'Internal error' : (first?.message ?? 'Request failed'), extensions };
}
