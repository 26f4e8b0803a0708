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

export type SessionAccess = { allowed: true; upstream: string } | { allowed: false; code: ErrorCode; detail: string };

const deny = (code: ErrorCode, detail: string): SessionAccess => ({ allowed: false, code, detail });

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
  if (!host) return deny('NOT_FOUND', 'Not a session host name');
  if (!actor) return deny('UNAUTHENTICATED', 'Sign in to open this session');
  if (!route || route.exposure !== host.exposure) return deny('NOT_FOUND', `No session ${host.slug}`);
  if (!isOwnerOrAdmin(actor, route.userId)) return deny('FORBIDDEN', 'This session belongs to another user');
  if (route.exposure === Exposure.INTERNAL && !mayReachInternal(actor)) {
    return deny('FORBIDDEN', 'INTERNAL sessions need the internal entitlement');
  }
  if (route.status !== SessionStatus.RUNNING || !route.upstream)
    return deny('NOT_FOUND', `Session ${host.slug} is not running`);
  return { allowed: true, upstream: route.upstream };
}
