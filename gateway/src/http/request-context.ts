import type { NextFunction, Request, RequestHandler, Response } from 'express';

import type { Authenticator } from '../auth/authenticator';
import { credentialOf } from '../auth/credential';
import type { GatewayContext } from '../context';
import { requestIdOf } from './request-id';

/**
 * Decides once per request who is asking (cookie or bearer token → actor), from where (client address as
 * forwarded by Caddy) and whether a mutation may run (our Origin, or a token). Everything downstream
 * reads this context, never headers. A bearer token that does not resolve is refused by
 * `refuseRejectedToken`, not silently treated as anonymous.
 */
export function establishRequestContext(
  authenticator: Authenticator,
  cookieName: string,
  allowedOrigins: ReadonlySet<string>,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const { credential, rejected } = credentialOf(
      { authorization: req.header('authorization'), cookie: req.header('cookie') },
      cookieName,
    );
    const requestId = requestIdOf(res);
    const actorPromise = credential ? authenticator.authenticate(credential, requestId) : Promise.resolve(null);
    actorPromise
      .then((actor) => {
        const byToken = credential?.kind === 'api-token';
        const context: GatewayContext = {
          requestId,
          actor,
          clientIp: req.ip ?? null,
          originAllowed: byToken || isAllowedOrigin(req, allowedOrigins),
          credential,
          sessionEffects: {},
        };
        res.locals['context'] = context;
        res.locals['tokenRejected'] = rejected || (byToken && actor === null);
        next();
      })
      .catch(next);
  };
}

export function gatewayContextOf(res: Response): GatewayContext {
  return res.locals['context'] as GatewayContext;
}

/** Whether the request sent a bearer token that is malformed or does not resolve (see refuseRejectedToken). */
export function tokenRejected(res: Response): boolean {
  return res.locals['tokenRejected'] === true;
}

/** Origin, or failing that the origin of Referer, must be one of ours; a request with neither is refused. */
function isAllowedOrigin(req: Request, allowed: ReadonlySet<string>): boolean {
  const origin = req.header('origin');
  if (origin) return allowed.has(origin);
  const referer = req.header('referer');
  if (!referer) return false;
  try {
    return allowed.has(new URL(referer).origin);
  } catch {
    return false;
  }
}
