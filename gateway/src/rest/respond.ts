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
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
