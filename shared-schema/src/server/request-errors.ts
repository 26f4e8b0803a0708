import type { ErrorCode } from '../errors';
import { formatByteLimit } from './body-limits';

/**
 * An error Express or its body parser raised because of the request itself (a body over the limit, JSON
 * that does not parse, an encoding it cannot read, a malformed URL), as one of the platform's codes; null
 * for anything else. Every HTTP face answers these as the client's error (problem+json on /api/v2, a
 * GraphQL error list on /graphql), logs them at info without the request body, and never answers 500.
 */
export function requestErrorOf(error: unknown, bodyLimitBytes: number): { code: ErrorCode; detail: string } | null {
  const tooLarge = {
    code: 'PAYLOAD_TOO_LARGE' as const,
    detail: `Request body over ${formatByteLimit(bodyLimitBytes)}`,
  };
  const { status, statusCode, type } = (error ?? {}) as { status?: unknown; statusCode?: unknown; type?: string };
  if (type === 'entity.too.large') return tooLarge;
  if (type === 'entity.parse.failed') return { code: 'BAD_USER_INPUT', detail: 'Request body is not valid JSON' };
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return { code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Unsupported request encoding' };
  }
  if (error instanceof URIError) return { code: 'BAD_USER_INPUT', detail: 'The request URL is malformed' };
  const http = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : 0;
  if (http === 413) return tooLarge;
  if (http === 415) return { code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Unsupported request encoding' };
  if (http >= 400 && http < 500) return { code: 'BAD_USER_INPUT', detail: 'The request could not be read' };
  return null;
}

/**
 * What a log line may say of a refused request: its kind, never its body nor the parser's message (V8's
 * JSON errors quote the input, which may hold a password).
 */
export function requestErrorLog(error: unknown): { status?: unknown; type?: unknown } {
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  return { status, type: type ?? (error instanceof Error ? error.name : typeof error) };
}
