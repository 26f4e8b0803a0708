import { GraphQLError } from 'graphql';

import { type ErrorCode, httpStatusFor } from './error-codes';

/**
 * A failure a client can act on. It is a GraphQLError so that resolvers can throw it directly and
 * Apollo keeps `extensions.code` and any extra (safe) fields intact.
 */
export class DomainError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extra, code } });
    this.name = 'DomainError';
    this.code = code;
  }

  get httpStatus(): number {
    return httpStatusFor(this.code);
  }
}
