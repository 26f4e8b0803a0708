import { ERROR_CODES, type ErrorCode } from './error-codes';

/** RFC 9457 problem details as served by the REST shim, extended with MedForge's code and request id. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  request_id: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const PROBLEM_TYPE_BASE = 'https://medforge.dev/problems/';

export function problemTypeUri(code: ErrorCode): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replace(/_/g, '-');
}

export function toProblem(
  code: ErrorCode,
  detail: string,
  requestId: string,
  extensions: Record<string, unknown> = {},
): ProblemDetails {
  const { status, title } = ERROR_CODES[code];
  return { ...extensions, type: problemTypeUri(code), title, status, detail, code, request_id: requestId };
}
