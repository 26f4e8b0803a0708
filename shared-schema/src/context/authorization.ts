import { DomainError } from '../errors';
import type { Actor, ServiceName } from './signed-context';

/** Authorization rules every subgraph applies to the verified actor. */
export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new DomainError('UNAUTHENTICATED', 'Sign in to do this');
  return actor;
}

export function isAdmin(actor: Actor | null): boolean {
  return actor?.role === 'admin';
}

export function requireAdmin(actor: Actor | null): Actor {
  const signedIn = requireActor(actor);
  if (!isAdmin(signedIn)) throw new DomainError('FORBIDDEN', 'Only administrators can do this');
  return signedIn;
}

/** A user's private data is visible to that user and to administrators. */
export function requireSelfOrAdmin(actor: Actor | null, userId: string): Actor {
  const signedIn = requireActor(actor);
  if (!isOwnerOrAdmin(signedIn, userId))
    throw new DomainError('FORBIDDEN', "You cannot see another user's private data");
  return signedIn;
}

/** Whether the actor may see an object that belongs to `userId`: its owner or an administrator. */
export function isOwnerOrAdmin(actor: Actor | null, userId: string): boolean {
  return actor !== null && (actor.userId === userId || isAdmin(actor));
}

/**
 * Whether the actor may reach INTERNAL things that exist (a running INTERNAL session, an INTERNAL
 * competition): the entitlement, or an administrator. Starting an INTERNAL session needs the entitlement
 * itself, administrators included (they grant it to themselves first: the grant is audited).
 */
export function mayReachInternal(actor: Actor | null): boolean {
  return actor !== null && (actor.canUseInternal || isAdmin(actor));
}

/** Fields meant for MedForge's own services (hidden from the public API with @inaccessible) check the caller. */
export function requireService(service: ServiceName | null, allowed: ServiceName): ServiceName {
  if (service !== allowed) throw new DomainError('FORBIDDEN', `Only the ${allowed} service can ask this`);
  return service;
}
