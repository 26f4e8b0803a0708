import { Exposure, SessionStatus } from '@medforge/shared-schema';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

import { snapshotShortName } from '../ports/workspace-store';
import type { SessionRow } from '../db/models/session.model';

export enum StartPhase {
  ALLOCATING = 'allocating',
  WORKSPACE = 'workspace',
  CONTAINER = 'container',
  CODE_SERVER = 'code-server',
}
registerEnumType(StartPhase, {
  name: 'StartPhase',
  description:
    'Where a start is: ALLOCATING (GPU and port), WORKSPACE (the home, a snapshot view, SSH keys), CONTAINER (Docker starting it), CODE_SERVER (waiting for the workbench to answer).',
});

export enum StopReason {
  USER = 'user',
  ADMIN = 'admin',
  IDLE = 'idle',
  MAX_RUNTIME = 'max-runtime',
  LEFT_QUEUE = 'left-queue',
  RESERVATION = 'reservation',
}
registerEnumType(StopReason, {
  name: 'StopReason',
  description:
    'Why a session stopped: USER (its owner), ADMIN (an administrator), IDLE (no workbench or SSH activity for SESSION_IDLE_TIMEOUT_MINUTES), MAX_RUNTIME (SESSION_MAX_RUNTIME_HOURS after its start), LEFT_QUEUE (its owner stopped waiting for a GPU), RESERVATION (its GPU was reserved for someone else from then).',
});

@ObjectType({ description: "A code-server + SSH container bound to one GPU, with the owner's home at /workspace." })
@Directive('@key(fields: "id")')
export class Session {
  @Field(() => ID)
  id!: string;

  @Field(() => Exposure)
  exposure!: Exposure;

  @Field(() => SessionStatus)
  status!: SessionStatus;

  @Field({ description: '8-character lowercase base32 name used in the session host name.' })
  slug!: string;

  @Field(() => String, { nullable: true, description: 'What its owner calls it ("nnunet-fold0"); null: unnamed.' })
  name!: string | null;

  @Field(() => Int, { nullable: true, description: 'Host port for SSH while the session is active.' })
  sshPort!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the session ended in ERROR.' })
  errorMessage!: string | null;

  @Field(() => String, { nullable: true, description: 'ZFS snapshot of the home taken when the session stopped.' })
  snapshotName!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The snapshot this session mounts read-only at /snapshot (short name), if it was started with one.',
  })
  viewedSnapshotName!: string | null;

  @Field(() => StartPhase, { nullable: true, description: 'While STARTING: the phase it is in (null otherwise).' })
  startPhase!: StartPhase | null;

  @Field(() => Date, { nullable: true, description: 'While STARTING: when it entered that phase.' })
  startPhaseAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'An announced stop: the session stops at this time unless it is used again (idle) or at all (maximum runtime).',
  })
  stopScheduledAt!: Date | null;

  @Field(() => StopReason, { nullable: true, description: 'Why the announced stop will happen (IDLE or MAX_RUNTIME).' })
  stopScheduledReason!: StopReason | null;

  @Field(() => StopReason, { nullable: true, description: 'Why it stopped (null while active or for failures).' })
  stopReason!: StopReason | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'The last activity seen: the workbench, SSH, a busy GPU or CPU, or a process marked with medforge keepalive.',
  })
  lastActivityAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the session last counted as active, in words: "GPU 87 %", "CPU 150 %", "1 SSH connection", "workbench in use", \'kept running by "python train.py"\'.',
  })
  activityReason!: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Its owner asked it to keep running until then (keepSessionAlive): no idle stop before.',
  })
  keepAliveUntil!: Date | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it joined the queue for a GPU (null: it found one free).' })
  queuedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  stoppedAt!: Date | null;

  userId!: string;
  packId!: string;
  gpuId!: number | null;
  resourceLimits!: string | null;
  /** The maximum-runtime deadline once extended (stop times are resolved from it). */
  runtimeLimitAt!: Date | null;

  static from(row: SessionRow): Session {
    return Object.assign(new Session(), {
      id: row.id,
      exposure: row.exposure,
      status: row.status,
      slug: row.slug,
      name: row.name,
      sshPort: row.ssh_port,
      errorMessage: row.error_message,
      snapshotName: row.snapshot_name,
      viewedSnapshotName: row.viewed_snapshot ? snapshotShortName(row.viewed_snapshot) : null,
      startPhase: row.status === SessionStatus.STARTING ? ((row.start_phase as StartPhase | null) ?? null) : null,
      startPhaseAt: row.status === SessionStatus.STARTING ? row.start_phase_at : null,
      stopScheduledAt: row.status === SessionStatus.RUNNING ? row.stop_scheduled_at : null,
      stopScheduledReason:
        row.status === SessionStatus.RUNNING ? ((row.stop_scheduled_reason as StopReason | null) ?? null) : null,
      stopReason: (row.stop_reason as StopReason | null) ?? null,
      lastActivityAt: row.last_activity_at,
      activityReason: row.activity_reason,
      keepAliveUntil: row.status === SessionStatus.RUNNING ? row.keep_alive_until : null,
      runtimeLimitAt: row.runtime_limit_at,
      createdAt: row.created_at,
      queuedAt: row.queued_at,
      startedAt: row.started_at,
      stoppedAt: row.stopped_at,
      userId: row.user_id,
      packId: row.pack_id,
      gpuId: row.gpu_id,
      resourceLimits: row.resource_limits,
    });
  }
}
