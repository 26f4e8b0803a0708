import type { AuthInvalidation, SshKeysChanged } from '@medforge/shared-schema';

/**
 * Where identity announces what other services must act on: a logout, a disable or an entitlement change
 * (every gateway forgets cached authentications), and a user's SSH keys changing (session-runtime).
 * Announcing never fails a request: the gateway's cache TTL bounds the staleness, and sessions get the
 * keys again at their start.
 */
export interface AuthEventSink {
  /** Resolves once the gateways' copies are on their way, so the caller's answer cannot overtake them. */
  invalidate(message: AuthInvalidation): Promise<void>;
  sshKeysChanged(message: SshKeysChanged): Promise<void>;
}
