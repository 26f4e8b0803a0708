import { type Knex, type Logger, SessionStatus } from '@medforge/shared-schema';

import { CONTAINER_PREFIX, type ContainerRuntime, type ResourceLimits } from '../ports/container-runtime';
import { SessionRow } from '../db/models/session.model';

/**
 * When the kernel kills a process of a session at its memory limit, the session goes on but the user's
 * job is gone with a bare "Killed": this says why where they are (the workbench and its terminals) and
 * in the log, with the limit it reached.
 */
export class MemoryLimitNotices {
  private watch: { close(): void } | null = null;

  constructor(
    private readonly knex: Knex,
    private readonly runtime: ContainerRuntime,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.watch = this.runtime.watchOutOfMemory((name) => void this.tell(name));
  }

  stop(): void {
    this.watch?.close();
    this.watch = null;
  }

  async tell(containerName: string): Promise<void> {
    try {
      if (!containerName.startsWith(CONTAINER_PREFIX)) return;
      const slug = containerName.slice(CONTAINER_PREFIX.length);
      const row = await SessionRow.query(this.knex).findOne({ slug, status: SessionStatus.RUNNING });
      if (!row) return;
      const limits = row.resource_limits ? (JSON.parse(row.resource_limits) as ResourceLimits) : null;
      const limit = limits?.memoryMib ? ` of ${formatMib(limits.memoryMib)}` : '';
      const message =
        `A process in this session was stopped: the session reached its memory limit${limit}. ` +
        'Use less memory (smaller batches, fewer DataLoader workers), or ask an administrator for a higher limit.';
      this.logger.warn(
        { session_id: row.id, user_id: row.user_id, slug, memory_mib: limits?.memoryMib ?? null },
        'session reached its memory limit',
      );
      await this.runtime.notify(containerName, { kind: 'memory-limit', message });
    } catch (error) {
      this.logger.warn({ err: error, container: containerName }, 'could not tell a session about its memory limit');
    }
  }
}

function formatMib(mib: number): string {
  return mib >= 1024 ? `${+(mib / 1024).toFixed(1)} GiB` : `${mib} MiB`;
}
