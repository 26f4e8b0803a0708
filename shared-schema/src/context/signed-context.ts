import { createHmac, timingSafeEqual } from 'node:crypto';

import { z } from 'zod';

import { DomainError } from '../errors';
import { API_SCOPES } from './api-token';

/**
 * The gateway decides who a request is and tells the subgraphs in one HMAC-signed header. Subgraphs
 * never look at cookies; they trust only this header, and only when its signature and age check out.
 */
export const CONTEXT_HEADER = 'x-medforge-context';
const VERSION = 'v1';
/** Tolerated clock skew between gateway and subgraph (same host in practice). */
const FUTURE_SKEW_MS = 5_000;

const actorSchema = z.object({
  userId: z.string().min(1),
  role: z.enum(['user', 'admin']),
  canUseInternal: z.boolean(),
  /** The login (cookie) this request authenticated with (lets identity log exactly that one out). */
  loginSessionId: z.string().min(1).optional(),
  /** The API token this request authenticated with, instead of a login. */
  apiTokenId: z.string().min(1).optional(),
  /** What that token may do (absent for logins, which may do everything their role allows). */
  scopes: z.array(z.enum(API_SCOPES)).optional(),
  /** For a session's own token: that session, the only one the token may act on. */
  sessionId: z.string().min(1).optional(),
});

/**
 * MedForge's own processes, for calls one service makes to another on its own behalf (never by signing a
 * made-up user). Fields meant only for them check this name; it never comes with an actor.
 */
export const SERVICE_NAMES = ['gateway', 'session-runtime'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const claimsSchema = z.object({
  requestId: z.string().min(1).max(128),
  actor: actorSchema.nullable(),
  service: z.enum(SERVICE_NAMES).optional(),
  /** Client address as seen by the gateway (behind Caddy: the forwarded one); for rate limits and logs. */
  clientIp: z.string().max(64).optional(),
  issuedAt: z.number().int().nonnegative(),
});

export type Actor = z.infer<typeof actorSchema>;
export type RequestContextClaims = z.infer<typeof claimsSchema>;

export function signContext(claims: RequestContextClaims, secret: string): string {
  const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${VERSION}.${body}.${mac(`${VERSION}.${body}`, secret)}`;
}

/** Returns the verified claims or throws CONTEXT_SIGNATURE_INVALID saying what was wrong. */
export function verifyContext(
  header: string | undefined,
  secret: string,
  maxAgeMs: number,
  now: number = Date.now(),
): RequestContextClaims {
  if (!header) throw invalid('missing request context header');
  const parts = header.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) throw invalid('malformed request context header');
  const [version, body, signature] = parts as [string, string, string];
  const expected = Buffer.from(mac(`${version}.${body}`, secret), 'base64url');
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw invalid('request context signature does not match');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalid('request context body is not JSON');
  }
  const parsed = claimsSchema.safeParse(decoded);
  if (!parsed.success) throw invalid('request context body has the wrong shape');
  const claims = parsed.data;
  if (claims.service && claims.actor) throw invalid('a service context cannot carry a user');
  if (claims.issuedAt > now + FUTURE_SKEW_MS) throw invalid('request context is issued in the future');
  if (now - claims.issuedAt > maxAgeMs) throw invalid('request context has expired');
  return claims;
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function invalid(reason: string): DomainError {
  return new DomainError('CONTEXT_SIGNATURE_INVALID', reason);
}
