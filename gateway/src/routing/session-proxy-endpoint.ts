import type { IncomingMessage, ServerResponse } from 'node:http';

import { type ErrorCode, hashLoginToken, type Logger, PROBLEM_CONTENT_TYPE, toProblem } from '@medforge/shared-schema';

import type { Authenticator } from '../auth/authenticator';
import { readCookie } from '../auth/credential';
import { hasPath } from '../http/has-path';
import { newRequestId } from '../http/request-id';
import { decideSessionAccess, type SessionAccess } from './session-access';
import { parseSessionHost, type SessionHost } from './session-host';
import { sessionPage } from './session-pages';
import type { SessionRouteCache } from './session-route-cache';

export const SESSION_PROXY_PATH = '/api/v2/auth/session-proxy';
export const UPSTREAM_HEADER = 'X-Upstream';

/** Express's compiled `trust proxy` predicate: is the hop at `index` one whose headers we believe? */
export type TrustProxy = (address: string, index: number) => boolean;

export interface SessionProxyDeps {
  routes: SessionRouteCache;
  authenticator: Authenticator;
  cookieName: string;
  domain: string;
  /** The console's address (MEDFORGE_PUBLIC_URL): signed-out visitors are sent to its sign-in page. */
  publicUrl: URL;
  trustProxy: TrustProxy;
  logger: Logger;
}

/** True for `GET /api/v2/auth/session-proxy` (with or without a query string, which is ignored). */
export function isSessionProxyRequest(req: IncomingMessage): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && hasPath(req, SESSION_PROXY_PATH);
}

/**
 * `GET /api/v2/auth/session-proxy`: Caddy's forward_auth for `s-<slug>.<exposure>.<domain>`, answered on
 * every proxied session request, so it runs on plain node:http ahead of Express and, once warm, from
 * memory only (cookie → actor cache, slug → route cache). The session comes only from the forwarded
 * host (X-Forwarded-Host, believed from trusted proxies alone); query strings, paths and any
 * client-sent X-Upstream are ignored. 200 carries X-Upstream for Caddy. A signed-out browser opening a
 * page is sent (302, which Caddy passes on) to the console's sign-in, which brings it back afterwards;
 * other clients get the 401 problem.
 */
export function sessionProxyEndpoint(deps: SessionProxyDeps) {
  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    host: SessionHost | null,
    access: SessionAccess,
    requestId: string,
  ) => {
    if (!access.allowed && access.code === 'UNAUTHENTICATED' && host && opensPage(req)) {
      return redirectToSignIn(res, deps.publicUrl, sessionUrl(req, deps, host), requestId);
    }
    if (!access.allowed && opensPage(req)) return sendPage(res, access, host, deps.publicUrl, requestId);
    if (!access.allowed) return sendProblem(res, access.code, access.detail, requestId);
    res.writeHead(200, {
      'X-Request-Id': requestId,
      'Cache-Control': 'no-store',
      [UPSTREAM_HEADER]: access.upstream,
      'Content-Length': '0',
    });
    res.end();
  };
  return (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = newRequestId();
    const host = parseSessionHost(forwardedHostname(req, deps.trustProxy), deps.domain);
    const token = readCookie(req.headers.cookie, deps.cookieName);
    // The workbench is the browser's: only the login cookie opens it, never an API token.
    const credential = token ? { kind: 'login' as const, hash: hashLoginToken(token) } : null;
    // Hot path: a warm cookie and route answer from memory, without a promise.
    const actor = credential ? deps.authenticator.peek(credential) : null;
    const route = host && actor ? deps.routes.peek(host.slug) : null;
    if (actor !== undefined && route !== undefined) {
      return answer(req, res, host, decideSessionAccess(actor, host, route), requestId);
    }
    const decide = async () => {
      const who = credential ? await deps.authenticator.authenticate(credential, requestId) : null;
      const where = host && who ? await deps.routes.get(host.slug, requestId) : null;
      return decideSessionAccess(who, host, where);
    };
    decide()
      .then((access) => answer(req, res, host, access, requestId))
      .catch((error: unknown) => {
        // Fail closed: without an answer from session-runtime nobody is let through.
        deps.logger.warn({ err: error, request_id: requestId, slug: host?.slug }, 'session route lookup failed');
        sendProblem(res, 'UPSTREAM_UNAVAILABLE', 'Session routing is temporarily unavailable', requestId);
      });
  };
}

/** A browser opening a page (not a script's fetch, a websocket or an API client). */
function opensPage(req: IncomingMessage): boolean {
  const method = String(req.headers['x-forwarded-method'] ?? 'GET').toUpperCase();
  return (method === 'GET' || method === 'HEAD') && /\btext\/html\b/.test(String(req.headers.accept ?? ''));
}

/**
 * Where the visitor was going: the session host already checked, the console's scheme and port, and
 * the path Caddy reports (X-Forwarded-Uri, believed from trusted proxies only; otherwise the root).
 */
function sessionUrl(req: IncomingMessage, deps: SessionProxyDeps, host: SessionHost): string {
  const uri = req.headers['x-forwarded-uri'];
  const trusted = typeof uri === 'string' && deps.trustProxy(req.socket.remoteAddress ?? '', 0);
  const pathAndQuery = trusted && uri.startsWith('/') && !uri.startsWith('//') ? uri : '/';
  const port = deps.publicUrl.port ? `:${deps.publicUrl.port}` : '';
  const hostname = `s-${host.slug}.${host.exposure.toLowerCase()}.${deps.domain}`;
  return `${deps.publicUrl.protocol}//${hostname}${port}${pathAndQuery}`;
}

function redirectToSignIn(res: ServerResponse, publicUrl: URL, next: string, requestId: string): void {
  const signIn = new URL('/sign-in', publicUrl);
  signIn.searchParams.set('next', next);
  res
    .writeHead(302, {
      Location: signIn.toString(),
      'Content-Length': '0',
      'X-Request-Id': requestId,
      'Cache-Control': 'no-store',
    })
    .end();
}

/** The host the client asked for: X-Forwarded-Host from a trusted proxy, else Host; without the port. */
function forwardedHostname(req: IncomingMessage, trustProxy: TrustProxy): string {
  const forwarded = req.headers['x-forwarded-host'];
  const fromProxy = typeof forwarded === 'string' && trustProxy(req.socket.remoteAddress ?? '', 0);
  const host = (fromProxy ? forwarded.split(',')[0]! : (req.headers.host ?? '')).trim();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1); // IPv6 literal: never a session host
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/** A browser opening a page gets a page saying what happened, with the same status a script gets. */
function sendPage(
  res: ServerResponse,
  access: Extract<SessionAccess, { allowed: false }>,
  host: SessionHost | null,
  publicUrl: URL,
  requestId: string,
): void {
  const body = sessionPage(access.reason, host?.slug ?? null, publicUrl, requestId);
  res.writeHead(toProblem(access.code, access.detail, requestId).status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'X-Request-Id': requestId,
  });
  res.end(body);
}

function sendProblem(res: ServerResponse, code: ErrorCode, detail: string, requestId: string): void {
  const problem = toProblem(code, detail, requestId);
  const body = JSON.stringify(problem);
  res
    .writeHead(problem.status, {
      'Content-Type': PROBLEM_CONTENT_TYPE,
      'Content-Length': Buffer.byteLength(body),
      'X-Request-Id': requestId,
      'Cache-Control': 'no-store',
    })
    .end(body);
}
