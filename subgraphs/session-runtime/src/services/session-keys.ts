import { randomUUID } from 'node:crypto';

import {
  type Knex,
  type Logger,
  type Redis,
  SessionStatus,
  SSH_KEYS_CHANGED_CHANNEL,
  type SshKeysChanged,
} from '@medforge/shared-schema';

import { type ContainerRuntime, containerNameFor } from '../ports/container-runtime';
import type { SshKeySource } from '../ports/ssh-key-source';
import { SessionRow } from '../db/models/session.model';

/**
 * SSH keys reach running sessions without a restart: when identity announces that a user's keys changed,
 * their current set is written into each of their running (and starting) sessions. A session that starts
 * later reads the keys itself; an announcement missed while this process was down is made good by the
 * user's next change or next session.
 */
export class SessionKeys {
  constructor(
    private readonly knex: Knex,
    private readonly runtime: ContainerRuntime,
    private readonly keys: SshKeySource,
    private readonly logger: Logger,
  ) {}

  /** Installs the user's current keys into their active sessions; returns how many took them. */
  async refresh(userId: string): Promise<number> {
    const rows = await SessionRow.query(this.knex)
      .where({ user_id: userId })
      .whereIn('status', [SessionStatus.STARTING, SessionStatus.RUNNING]);
    if (rows.length === 0) return 0;
    const keys = await this.keys.authorizedKeys(userId, `req_${randomUUID()}`);
    const results = await Promise.allSettled(
      rows.map((row) => this.runtime.installAuthorizedKeys(containerNameFor(row.slug), keys)),
    );
    results.forEach((result, i) => {
      // A starting session's container may not exist yet: it reads the keys when it starts.
      if (result.status === 'rejected' && rows[i]!.status === SessionStatus.RUNNING) {
        this.logger.warn({ err: result.reason, session_id: rows[i]!.id }, 'could not install SSH keys in a session');
      }
    });
    return results.filter((r) => r.status === 'fulfilled').length;
  }

  /** Follows identity's announcements on a connection of its own; returns how to stop. */
  async listen(redis: Redis): Promise<() => Promise<void>> {
    const subscriber = redis.duplicate();
    subscriber.on('message', (_channel: string, message: string) => {
      let userId: string | undefined;
      try {
        userId = (JSON.parse(message) as Partial<SshKeysChanged>).userId;
      } catch {
        userId = undefined;
      }
      if (typeof userId !== 'string') return this.logger.warn({ message }, 'unreadable SSH key announcement');
      this.refresh(userId).catch((error: unknown) =>
        this.logger.warn({ err: error, user_id: userId }, 'refreshing SSH keys in sessions failed'),
      );
    });
    await subscriber.subscribe(SSH_KEYS_CHANGED_CHANNEL);
    return async () => {
      await subscriber.quit().catch(() => subscriber.disconnect());
    };
  }
}
