import { type ErrorCode, PROBLEM_CONTENT_TYPE, toProblem } from '@medforge/shared-schema';
import type { Response } from 'express';

import { requestIdOf } from '../http/request-id';

/** Success envelope of /api/v2: `{ data, meta }`; meta always carries the request id. */
export function sendData(res: Response, data: unknown, meta: Record<string, unknown> = {}, status = 200): void {
  res.status(status).json({ data, meta: { ...meta, request_id: requestIdOf(res) } });
}

export function sendProblem(
  res: Response,
  code: ErrorCode,
  detail: string,
  extensions: Record<string, unknown> = {},
): void {
  const problem = toProblem(code, detail, requestIdOf(res), extensions);
  const retryAfter = retryAfterSeconds(code, extensions);
  if (retryAfter !== null) res.setHeader('Retry-After', String(retryAfter));
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** A refusal that ends at a known time (a daily cap resetting) tells clients when to come back. */
function retryAfterSeconds(code: ErrorCode, extensions: Record<string, unknown>): number | null {
  if (code !== 'QUOTA_EXCEEDED' && code !== 'RATE_LIMITED') return null;
  if (typeof extensions['retryAfterSeconds'] === 'number')
    return Math.max(1, Math.ceil(extensions['retryAfterSeconds']));
  const resetsAt = typeof extensions['resetsAt'] === 'string' ? Date.parse(extensions['resetsAt']) : NaN;
  return Number.isFinite(resetsAt) ? Math.max(1, Math.ceil((resetsAt - Date.now()) / 1000)) : null;
}
