import { registerEnumType } from 'type-graphql';

/**
 * Enums shared by more than one subgraph. They are registered once here so every subgraph emits the
 * identical SDL definition, which composition requires. GraphQL names are the keys; values are the
 * lowercase strings stored in the databases.
 */
export enum Exposure {
  EXTERNAL = 'external',
  INTERNAL = 'internal',
}

export enum SessionStatus {
  /** Waiting for a GPU: holds none, no port and no container (not active). */
  QUEUED = 'queued',
  STARTING = 'starting',
  RUNNING = 'running',
  STOPPING = 'stopping',
  STOPPED = 'stopped',
  ERROR = 'error',
}

export const ACTIVE_SESSION_STATUSES: readonly SessionStatus[] = [
  SessionStatus.STARTING,
  SessionStatus.RUNNING,
  SessionStatus.STOPPING,
];

export enum SubmissionStatus {
  QUEUED = 'queued',
  SCORING = 'scoring',
  SCORED = 'scored',
  FAILED = 'failed',
}

export enum Role {
  USER = 'user',
  ADMIN = 'admin',
}

/**
 * The one mapping between a stored enum value and its GraphQL name ('running' ↔ 'RUNNING'), for the
 * places that meet both outside type-graphql: events, the gateway's direct subgraph calls, the REST shim.
 */
export function graphqlEnumName<E extends Record<string, string>>(enumObject: E, value: E[keyof E]): keyof E & string {
  const name = Object.keys(enumObject).find((key) => enumObject[key] === value);
  if (name === undefined) throw new Error(`${String(value)} is not a value of this enum`);
  return name;
}

/** The stored value for a GraphQL enum name, or null when the enum has no such name. */
export function enumValueOf<E extends Record<string, string>>(enumObject: E, name: string): E[keyof E] | null {
  return Object.prototype.hasOwnProperty.call(enumObject, name) ? (enumObject[name as keyof E] as E[keyof E]) : null;
}

registerEnumType(Exposure, {
  name: 'Exposure',
  description: 'Where a session runs: EXTERNAL has internet egress, INTERNAL has none and needs an entitlement.',
});
registerEnumType(SessionStatus, {
  name: 'SessionStatus',
  description:
    'Waiting: QUEUED (for a GPU, holding none). Active: STARTING, RUNNING, STOPPING. Terminal: STOPPED, ERROR.',
});
registerEnumType(SubmissionStatus, {
  name: 'SubmissionStatus',
  description: 'QUEUED -> SCORING -> SCORED or FAILED.',
});
registerEnumType(Role, { name: 'Role', description: 'Platform role of a user.' });
