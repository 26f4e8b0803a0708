import type { NextFunction, Request, Response } from 'express';

import { REJECTED_TOKEN_MESSAGE } from '../auth/credential';
import { sendProblem } from '../rest/respond';
import { REJECTED_TOKEN_CHALLENGE, refuseRejectedTokenAsGraphQL } from './graphql-response';
import { tokenRejected } from './request-context';

/**
 * A request that sends a bearer token which does not work is refused with 401, even where an anonymous
 * caller would be answered: a script with a revoked or mistyped token learns it at once instead of
 * silently seeing less. /graphql answers in GraphQL's error shape, /api/v2 with problem+json.
 */
export function refuseRejectedToken(req: Request, res: Response, next: NextFunction): void {
  if (!tokenRejected(res)) return next();
  if (req.baseUrl === '/graphql') return refuseRejectedTokenAsGraphQL(res);
  res.setHeader('WWW-Authenticate', REJECTED_TOKEN_CHALLENGE);
  sendProblem(res, 'UNAUTHENTICATED', REJECTED_TOKEN_MESSAGE);
}
