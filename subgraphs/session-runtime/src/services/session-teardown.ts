import { type Logger, SessionStatus } from '@medforge/shared-schema';

import { type ContainerRuntime, containerNameFor } from '../ports/container-runtime';
import type { SessionRow } from '../db/models/session.model';
import type { SessionHoldings } from './session-holdings';
import type { SessionTransitions } from './session-transitions';
import type { StopSnapshots } from './stop-snapshots';

const ERROR_MESSAGE_MAX = 1024;

/** How a session ends: stopped with its home snapshotted, lost, or failed while starting. */
export class SessionTeardown {
  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly holdings: SessionHoldings,
    private readonly snapshots: StopSnapshots,
    private readonly transitions: SessionTransitions,
    private readonly stopGraceSeconds: number,
    private readonly logger: Logger,
    /** After a session ends STOPPED: the snapshot retention pass for its user. */
    private readonly afterStop: (userId: string) => Promise<unknown>,
  ) {}

  /** A STOPPING session: graceful stop, snapshot, removal; STOPPED, or ERROR when a step fails. */
  async finalize(row: SessionRow): Promise<void> {
    const name = containerNameFor(row.slug);
    try {
      await this.runtime.stop(name, this.stopGraceSeconds);
      const snapshot = await this.snapshots.take(row, 'stop');
      await this.runtime.remove(name);
      await this.holdings.release(row);
      const stopped = await this.transitions.moveAndAnnounce(
        row.id,
        [SessionStatus.STOPPING],
        { status: SessionStatus.STOPPED, snapshot_name: snapshot, stopped_at: new Date() },
        { snapshot },
      );
      if (stopped) {
        await this.afterStop(row.user_id).catch((error: unknown) =>
          this.logger.warn({ err: error, user_id: row.user_id }, 'snapshot retention after a stop failed'),
        );
      }
    } catch (error) {
      const failed = await this.transitions.move(row.id, [SessionStatus.STOPPING], {
        status: SessionStatus.ERROR,
        error_message: fitErrorMessage(`Stopping failed: ${(error as Error).message}`),
        stopped_at: new Date(),
      });
      await this.runtime.remove(name).catch(() => undefined);
      await this.holdings.release(row);
      if (failed) await this.transitions.announce(failed, { error: (error as Error).message });
    }
  }

  /** A RUNNING session whose container is gone ends as ERROR, its home snapshotted. */
  async endLost(row: SessionRow, reason: string): Promise<void> {
    let snapshot: string | null = null;
    let snapshotError = '';
    try {
      snapshot = await this.snapshots.take(row, 'lost');
    } catch (error) {
      snapshotError = `; the stop snapshot failed: ${(error as Error).message}`;
    }
    await this.runtime.remove(containerNameFor(row.slug));
    await this.holdings.release(row);
    await this.transitions.moveAndAnnounce(
      row.id,
      [SessionStatus.RUNNING],
      {
        status: SessionStatus.ERROR,
        error_message: fitErrorMessage(`The session ended unexpectedly: ${reason}${snapshotError}`),
        snapshot_name: snapshot,
        stopped_at: new Date(),
      },
      { error: reason, snapshot },
    );
  }

  /** A start that failed is undone; the home stays (it holds the user's files from earlier sessions). */
  async failStart(row: SessionRow, error: Error): Promise<void> {
    this.logger.warn(
      { err: error, session_id: row.id, user_id: row.user_id, slug: row.slug },
      'session failed to start',
    );
    await this.runtime.remove(containerNameFor(row.slug)).catch(() => undefined);
    await this.holdings.release(row);
    await this.transitions.moveAndAnnounce(
      row.id,
      [SessionStatus.STARTING],
      {
        status: SessionStatus.ERROR,
        error_message: fitErrorMessage(`Starting failed: ${error.message}`),
        stopped_at: new Date(),
      },
      { error: error.message },
    );
  }

  /** What a session holds besides its container, given back (a start stopped before it placed anything). */
  release(row: SessionRow): Promise<void> {
    return this.holdings.release(row);
  }
}

/**
 * The column holds 1024 characters: keep the head (what failed) and the end of any log after it (the
 * cause); a message of one line keeps its beginning.
 */
export function fitErrorMessage(message: string): string {
  if (message.length <= ERROR_MESSAGE_MAX) return message;
  const newline = message.indexOf('\n');
  if (newline < 0) return message.slice(0, ERROR_MESSAGE_MAX);
  const headPart = message.slice(0, Math.min(newline, 400));
  const logPart = message.slice(newline + 1);
  return `${headPart}\n…${logPart.slice(logPart.length - (ERROR_MESSAGE_MAX - headPart.length - 2))}`;
}
