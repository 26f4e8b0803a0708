import type { Knex, Logger } from '@medforge/shared-schema';

import type { SessionRow } from '../db/models/session.model';
import type { ContainerRuntime } from '../ports/container-runtime';
import type { SessionTokenIssuer } from '../ports/session-tokens';
import type { SshKeySource } from '../ports/ssh-key-source';
import type { WorkspaceStore } from '../ports/workspace-store';
import type { LimitSettings } from './limit-settings';
import type { SessionAllocator } from './session-allocator';
import type { SessionEventSink } from './session-events';
import { SessionHoldings } from './session-holdings';
import { type LaunchSettings, SessionLaunchPlanner } from './session-launch-planner';
import { SessionLifecycle } from './session-lifecycle';
import { SessionProvisioning } from './session-provisioning';
import type { SessionQueue } from './session-queue';
import { SessionTeardown } from './session-teardown';
import { SessionTransitions } from './session-transitions';
import { StopSnapshots } from './stop-snapshots';

export interface SessionCoreSettings extends LaunchSettings {
  readinessTimeoutMs: number;
  stopGraceSeconds: number;
}

/** What the session core is built from: the database, the ports it drives, and its settings. */
export interface SessionCoreParts {
  knex: Knex;
  allocator: SessionAllocator;
  /** Sessions waiting for a GPU. */
  queue: SessionQueue;
  workspaces: WorkspaceStore;
  runtime: ContainerRuntime;
  keys: SshKeySource;
  tokens: SessionTokenIssuer;
  events: SessionEventSink;
  limits: LimitSettings;
  settings: SessionCoreSettings;
  logger: Logger;
  /** After a session ends STOPPED: the snapshot retention pass for its user. */
  afterStop?: (userId: string) => Promise<unknown>;
  /** After a session that waited in the queue is RUNNING (the notification webhook). */
  startedFromQueue?: (row: SessionRow) => Promise<void>;
}

/** The session core wired by job: transitions, launch planning, provisioning, teardown, the lifecycle on top. */
export function assembleSessionLifecycle(parts: SessionCoreParts): SessionLifecycle {
  const { knex, settings, logger } = parts;
  const transitions = new SessionTransitions(knex, parts.events);
  const teardown = new SessionTeardown(
    parts.runtime,
    new SessionHoldings(parts.workspaces, parts.tokens, logger),
    new StopSnapshots(knex, parts.workspaces),
    transitions,
    settings.stopGraceSeconds,
    logger,
    parts.afterStop ?? (async () => undefined),
  );
  const planner = new SessionLaunchPlanner(
    knex,
    parts.workspaces,
    parts.keys,
    parts.tokens,
    parts.limits,
    settings,
    logger,
  );
  const provisioning = new SessionProvisioning(
    parts.runtime,
    parts.allocator,
    planner,
    transitions,
    teardown,
    settings.readinessTimeoutMs,
    logger,
  );
  return new SessionLifecycle(
    knex,
    {
      allocator: parts.allocator,
      provisioner: provisioning,
      teardown,
      transitions,
      queue: parts.queue,
      ...(parts.startedFromQueue ? { startedFromQueue: parts.startedFromQueue } : {}),
    },
    logger,
  );
}
