import { randomUUID } from 'node:crypto';

import type { NextFunction, Request, Response } from 'express';

/**
 * Every request gets a server-generated id (never the client's: it ends up in logs and signed
 * contexts). It is returned in X-Request-Id and in every problem+json body.
 */
export function newRequestId(): string {
  return `req_${randomUUID()}`;
}

export function assignRequestId(_req: Request, res: Response, next: NextFunction): void {
  const requestId = newRequestId();
  res.locals['requestId'] = requestId;
  res.setHeader('X-Request-Id', requestId);
  next();
}

export function requestIdOf(res: Response): string {
  return res.locals['requestId'] as string;
}
