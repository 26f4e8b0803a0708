import type { NextFunction, Request, Response } from 'express';

import { REJECTED_TOKEN_MESSAGE } from '../auth/credential';
import { sendProblem } from '../rest/respond';
import { tokenRejected } from './request-context';

/**
 * A request that sends a bearer token which does not work is refused with 401, even where an anonymous
 * caller would be answered: a script with a revoked or mistyped token learns it at once instead of
 * silently seeing less. /graphql answers in GraphQL's error shape, /api/v2 with problem+json.
 */
export function refuseRejectedToken(req: Request, res: Response, next: NextFunction): void {
  if (!tokenRejected(res)) return next();
  res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
  if (req.baseUrl === '/graphql') {
    res.status(401).json({ errors: [{ message: REJECTED_TOKEN_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } }] });
    return;
  }
  sendProblem(res, 'UNAUTHENTICATED', REJECTED_TOKEN_MESSAGE);
}
