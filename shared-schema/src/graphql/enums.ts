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

registerEnumType(Exposure, {
  name: 'Exposure',
  description: 'Where a session runs: EXTERNAL has internet egress, INTERNAL has none and needs an entitlement.',
});
registerEnumType(SessionStatus, {
  name: 'SessionStatus',
  description: 'Active: STARTING, RUNNING, STOPPING. Terminal: STOPPED, ERROR.',
});
registerEnumType(SubmissionStatus, {
  name: 'SubmissionStatus',
  description: 'QUEUED -> SCORING -> SCORED or FAILED.',
});
registerEnumType(Role, { name: 'Role', description: 'Platform role of a user.' });
