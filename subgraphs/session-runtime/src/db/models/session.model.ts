import type { Exposure, SessionStatus } from '@medforge/shared-schema';
import { Model } from 'objection';

/**
 * Why a session was stopped: by its owner, by an admin, idle, at its maximum runtime, its owner left the
 * queue before it got a GPU, or its GPU's reservation for someone else began.
 */
export type StopReason = 'user' | 'admin' | 'idle' | 'max-runtime' | 'left-queue' | 'reservation';

/** Where a start is: a GPU and port taken, the home ready, the container started, code-server answering. */
export type StartPhase = 'allocating' | 'workspace' | 'container' | 'code-server';

/** The GPU an active (or once active) session holds; only QUEUED rows, and those that left the queue, have none. */
export function heldGpu(row: Pick<SessionRow, 'id' | 'gpu_id'>): number {
  if (row.gpu_id === null) throw new Error(`session ${row.id} holds no GPU`);
  return row.gpu_id;
}

export class SessionRow extends Model {
  static override tableName = 'sessions';

  id!: string;
  user_id!: string;
  /** What its owner calls it ("nnunet-fold0"); null: unnamed. */
  name!: string | null;
  exposure!: Exposure;
  pack_id!: string;
  /** The GPU it holds or held; null while QUEUED (and for a session that left the queue). */
  gpu_id!: number | null;
  status!: SessionStatus;
  slug!: string;
  workspace_zfs!: string;
  container_id!: string | null;
  container_ip!: string | null;
  ssh_port!: number | null;
  error_message!: string | null;
  snapshot_name!: string | null;
  /** A snapshot this session mounts read-only at /snapshot (full name); its view is named after the session. */
  viewed_snapshot!: string | null;
  /** The ResourceLimits it started with, as JSON; null before the start was provisioned. */
  resource_limits!: string | null;
  start_phase!: StartPhase | null;
  start_phase_at!: Date | null;
  /** The last activity the reaper saw (workbench, SSH, a busy GPU or CPU, a marked process). */
  last_activity_at!: Date | null;
  /** Why it last counted as active ("GPU 87 %"), for the owner to see. */
  activity_reason!: string | null;
  /** Its owner asked it to keep running until then: no idle stop before. */
  keep_alive_until!: Date | null;
  /** The maximum-runtime deadline once extended; null: its start plus the installation's maximum runtime. */
  runtime_limit_at!: Date | null;
  /** An idle or maximum-runtime stop announced to the owner, and its cause. */
  stop_scheduled_at!: Date | null;
  stop_scheduled_reason!: 'idle' | 'max-runtime' | 'reservation' | null;
  stop_reason!: StopReason | null;
  created_at!: Date;
  /** When it joined the queue for a GPU; null for a start that found one free. Kept after promotion. */
  queued_at!: Date | null;
  started_at!: Date | null;
  stop_requested_at!: Date | null;
  stopped_at!: Date | null;
  updated_at!: Date;
}
