import type { ErrorCode } from '@medforge/shared-schema';

/**
 * What went wrong with a request body that Express's JSON parser refused, as one of the platform's error
 * codes, or null for any other error. Both faces use it: /api/v2 answers problem+json, /graphql a GraphQL
 * error list, never a 500.
 */
export function bodyParserFailure(error: unknown, limit: string): { code: ErrorCode; detail: string } | null {
  const { status, type } = error as { status?: number; type?: string };
  if (type === 'entity.too.large') return { code: 'PAYLOAD_TOO_LARGE', detail: `Request body over ${limit}` };
  if (type === 'entity.parse.failed') return { code: 'BAD_USER_INPUT', detail: 'Request body is not valid JSON' };
  if (status === 415 || type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return { code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Unsupported request encoding' };
  }
  if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set') {
    return { code: 'BAD_USER_INPUT', detail: 'The request body could not be read' };
  }
  return null;
}
