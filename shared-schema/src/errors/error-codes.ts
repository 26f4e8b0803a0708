/**
 * The one error model. Services throw DomainError with one of these codes; GraphQL carries the code in
 * `extensions.code`, and the REST shim maps it to an HTTP status and a problem+json body.
 */
export const ERROR_CODES = {
  BAD_USER_INPUT: { status: 400, title: 'Invalid input' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  ORIGIN_NOT_ALLOWED: { status: 403, title: 'Origin not allowed' },
  CONTEXT_SIGNATURE_INVALID: { status: 401, title: 'Request context signature invalid' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  CONFLICT: { status: 409, title: 'Conflict' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  RANGE_NOT_SATISFIABLE: { status: 416, title: 'Range not satisfiable' },
  UNPROCESSABLE_CONTENT: { status: 422, title: 'Unprocessable content' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  QUOTA_EXCEEDED: { status: 429, title: 'Quota exceeded' },
  NOT_AVAILABLE: { status: 501, title: 'Not available' },
  CAPACITY_EXHAUSTED: { status: 503, title: 'No capacity' },
  UPSTREAM_UNAVAILABLE: { status: 502, title: 'Upstream unavailable' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

export function httpStatusFor(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}
