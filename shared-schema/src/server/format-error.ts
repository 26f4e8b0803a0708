import type { GraphQLFormattedError } from 'graphql';

import { isErrorCode } from '../errors';
import type { Logger } from '../logger';

/** Apollo's own codes for request-shape problems; they are the client's fault and keep their message. */
const CLIENT_FACING_APOLLO_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'BAD_REQUEST',
]);

/**
 * Keeps DomainErrors and request-shape errors as they are, turns type-graphql's argument validation
 * into BAD_USER_INPUT with the failing fields, and hides everything else behind INTERNAL (logged with
 * its stack) so no SQL or stack text reaches a client.
 */
export function makeFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.['code'];
    if (isErrorCode(code) || (typeof code === 'string' && CLIENT_FACING_APOLLO_CODES.has(code))) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const validation = validationErrorsOf(error);
    if (validation) {
      return {
        message: `Invalid input: ${validation.map((v) => `${v.field} ${v.problems.join(', ')}`).join('; ')}`,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'BAD_USER_INPUT', fields: validation },
      };
    }
    logger.error({ err: originalOf(error), path: formatted.path }, 'unexpected resolver error');
    return {
      message: 'Internal error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL' },
    };
  };
}

interface FieldProblems {
  field: string;
  problems: string[];
}

function originalOf(error: unknown): unknown {
  return (error as { originalError?: unknown })?.originalError ?? error;
}

function validationErrorsOf(error: unknown): FieldProblems[] | undefined {
  const original = originalOf(error) as { name?: string; validationErrors?: unknown };
  if (original?.name !== 'ArgumentValidationError' || !Array.isArray(original.validationErrors)) {
    return undefined;
  }
  return flatten(original.validationErrors as ClassValidatorError[], '');
}

interface ClassValidatorError {
  property: string;
  constraints?: Record<string, string>;
  children?: ClassValidatorError[];
}

function flatten(errors: ClassValidatorError[], prefix: string): FieldProblems[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}
