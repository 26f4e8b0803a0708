import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { hashLoginToken } from '@medforge/shared-schema';

import type { Authenticator } from '../auth/authenticator';
import { readCookie } from '../auth/login-cookie';
import type { GatewayContext } from '../context';
import { requestIdOf } from './request-id';

/**
 * Decides once per request who is asking (cookie → actor), from where (client address as forwarded
 * by Caddy) and whether the Origin is ours. Everything downstream reads this context, never headers.
 */
export function establishRequestContext(
  authenticator: Authenticator,
  cookieName: string,
  allowedOrigins: ReadonlySet<string>,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const token = readCookie(req.header('cookie'), cookieName);
    const loginTokenHash = token ? hashLoginToken(token) : null;
    const requestId = requestIdOf(res);
    const actorPromise = loginTokenHash ? authenticator.authenticate(loginTokenHash, requestId) : Promise.resolve(null);
    actorPromise
      .then((actor) => {
        const context: GatewayContext = {
          requestId,
          actor,
          clientIp: req.ip ?? null,
          originAllowed: isAllowedOrigin(req, allowedOrigins),
          loginTokenHash,
          sessionEffects: {},
        };
        res.locals['context'] = context;
        next();
      })
      .catch(next);
  };
}

export function gatewayContextOf(res: Response): GatewayContext {
  return res.locals['context'] as GatewayContext;
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
