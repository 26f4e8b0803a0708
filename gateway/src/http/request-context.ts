import type { IncomingMessage } from 'node:http';

import type { Actor } from '@medforge/shared-schema';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import proxyAddress from 'proxy-addr';

import type { Authenticator } from '../auth/authenticator';
import { type Credential, credentialOf } from '../auth/credential';
import type { GatewayContext } from '../context';
import type { TrustProxy } from '../routing/session-proxy-endpoint';
import { requestIdOf } from './request-id';

export interface RequestContextDeps {
  authenticator: Authenticator;
  cookieName: string;
  allowedOrigins: ReadonlySet<string>;
  /** Which hops' X-Forwarded-For is believed (Express's compiled `trust proxy`): Caddy's only. */
  trustProxy: TrustProxy;
}

export interface EstablishedContext {
  context: GatewayContext;
  /** The request sent a bearer token that is malformed or does not resolve (see refuseRejectedToken). */
  tokenRejected: boolean;
}

/**
 * Decides once per request who is asking (cookie or bearer token → actor), from where (client address as
 * forwarded by Caddy) and whether a mutation may run (our Origin, or a token). Everything downstream
 * reads this context, never headers. Answered at once, without a promise, when there is no credential or
 * its actor is cached, since every API request passes here.
 */
export function requestContextFor(
  req: IncomingMessage,
  requestId: string,
  deps: RequestContextDeps,
): EstablishedContext | Promise<EstablishedContext> {
  const { credential, rejected } = credentialOf(
    { authorization: req.headers.authorization, cookie: req.headers.cookie },
    deps.cookieName,
  );
  const build = (actor: Actor | null): EstablishedContext =>
    contextOf(req, requestId, deps, credential, actor, rejected);
  if (!credential) return build(null);
  const cached = deps.authenticator.peek(credential);
  if (cached !== undefined) return build(cached);
  return deps.authenticator.authenticate(credential, requestId).then(build);
}

function contextOf(
  req: IncomingMessage,
  requestId: string,
  deps: RequestContextDeps,
  credential: Credential | null,
  actor: Actor | null,
  rejected: boolean,
): EstablishedContext {
  const byToken = credential?.kind === 'api-token';
  return {
    context: {
      requestId,
      actor,
      clientIp: proxyAddress(req, deps.trustProxy) || null,
      originAllowed: byToken || isAllowedOrigin(req, deps.allowedOrigins),
      credential,
      loginEffects: {},
    },
    tokenRejected: rejected || (byToken && actor === null),
  };
}

/** The Express form, for the REST shim and the IDE: the context lands in `res.locals`. */
export function establishRequestContext(deps: RequestContextDeps): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const adopt = ({ context, tokenRejected }: EstablishedContext) => {
      res.locals['context'] = context;
      res.locals['tokenRejected'] = tokenRejected;
      next();
    };
    try {
      const established = requestContextFor(req, requestIdOf(res), deps);
      if (established instanceof Promise) established.then(adopt, next);
      else adopt(established);
    } catch (error) {
      next(error);
    }
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
function isAllowedOrigin(req: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (origin) return allowed.has(origin);
  const referer = req.headers.referer;
  if (!referer) return false;
  try {
    return allowed.has(new URL(referer).origin);
  } catch {
    return false;
  }
}
