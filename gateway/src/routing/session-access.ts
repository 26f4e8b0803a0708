import {
  type Actor,
  type ErrorCode,
  Exposure,
  isOwnerOrAdmin,
  mayReachInternal,
  type SessionRoute,
  SessionStatus,
} from '@medforge/shared-schema';

import type { SessionHost } from './session-host';

/** Why a session address did not open, in terms a page for the visitor can say. */
export type DenialReason =
  'not-a-session-host' | 'signed-out' | 'unknown' | 'not-yours' | 'not-entitled' | 'not-running';

export type SessionAccess =
  { allowed: true; upstream: string } | { allowed: false; code: ErrorCode; detail: string; reason: DenialReason };

const deny = (code: ErrorCode, detail: string, reason: DenialReason): SessionAccess => ({
  allowed: false,
  code,
  detail,
  reason,
});

/**
 * Who may reach a session's code-server: its owner or an admin, while it runs, on the host of its own
 * exposure. INTERNAL sessions additionally need the entitlement that allowed starting them, so a revoked
 * grant also closes the door to a session that is still running.
 */
export function decideSessionAccess(
  actor: Actor | null,
  host: SessionHost | null,
  route: SessionRoute | null,
): SessionAccess {
  if (!host) return deny('NOT_FOUND', 'Not a session host name', 'not-a-session-host');
  if (!actor) return deny('UNAUTHENTICATED', 'Sign in to open this session', 'signed-out');
  if (!route || route.exposure !== host.exposure) return deny('NOT_FOUND', `No session ${host.slug}`, 'unknown');
  if (!isOwnerOrAdmin(actor, route.userId))
    return deny('FORBIDDEN', 'This session belongs to another user', 'not-yours');
  if (route.exposure === Exposure.INTERNAL && !mayReachInternal(actor)) {
    return deny('FORBIDDEN', 'INTERNAL sessions need the internal entitlement', 'not-entitled');
  }
  if (route.status !== SessionStatus.RUNNING || !route.upstream)
    return deny('NOT_FOUND', `Session ${host.slug} is not running`, 'not-running');
  return { allowed: true, upstream: route.upstream };
}
