import { type Logger, SessionStatus } from '@medforge/shared-schema';

import {
  type ContainerRuntime,
  type ContainerState,
  ContainerStartError,
  HostPortTakenError,
  type SessionLaunch,
} from '../ports/container-runtime';
import type { SessionRow } from '../db/models/session.model';
import type { SessionAllocator } from './session-allocator';
import type { SessionLaunchPlanner } from './session-launch-planner';
import type { SessionTeardown } from './session-teardown';
import type { SessionTransitions } from './session-transitions';

/** How much of a failed container's log its session's error message carries. */
const START_LOG_LINES = 15;
/** Starts tried with other SSH ports when one is held by another program. */
const PORT_ATTEMPTS = 3;

/**
 * A session's start after its allocation committed: workspace (the launch planned), container (placed by
 * the runtime), code-server (ready); RUNNING at the end. Any failure undoes all of it.
 */
export class SessionProvisioning {
  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly allocator: SessionAllocator,
    private readonly planner: SessionLaunchPlanner,
    private readonly transitions: SessionTransitions,
    private readonly teardown: SessionTeardown,
    private readonly readinessTimeoutMs: number,
    private readonly logger: Logger,
  ) {}

  async provision(row: SessionRow, requestId: string): Promise<void> {
    let launch: SessionLaunch | null = null;
    try {
      await this.transitions.enterPhase(row.id, 'workspace');
      launch = await this.planner.plan(row, requestId);
      if (!(await this.transitions.enterPhase(row.id, 'container'))) {
        // Stopped meanwhile: nothing to place, and what the plan took after the stop's release goes too.
        await this.teardown.release(row);
        return;
      }
      const state = await this.startWithFreePort(launch);
      await this.transitions.enterPhase(row.id, 'code-server');
      // A session stopped while starting must not hold this wait (and shutdown) for the whole timeout.
      const readiness = await this.runtime.waitUntilServing(state, this.readinessTimeoutMs, () =>
        this.transitions.isStarting(row.id),
      );
      if (readiness === 'abandoned') return; // the stop's finalization owns the container now
      // Stopped while starting (no move): the stop's finalization owns the container now.
      await this.transitions.moveAndAnnounce(
        row.id,
        [SessionStatus.STARTING],
        {
          status: SessionStatus.RUNNING,
          container_id: state.id,
          container_ip: state.ipAddress,
          resource_limits: JSON.stringify(launch.limits),
          started_at: new Date(),
        },
        { container_id: state.id },
      );
    } catch (error) {
      await this.teardown.failStart(row, await this.withLog(launch, error as Error));
    }
  }

  /**
   * An SSH port held by a program MedForge does not know about is not the user's problem: the session
   * takes another free port and starts again, a few times at most.
   */
  private async startWithFreePort(launch: SessionLaunch): Promise<ContainerState> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runtime.start(launch);
      } catch (error) {
        if (!(error instanceof HostPortTakenError) || attempt >= PORT_ATTEMPTS) throw error;
        const port = await this.allocator.moveSshPort(launch.session.id);
        this.logger.warn(
          { session_id: launch.session.id, taken: error.port, port },
          'SSH host port in use elsewhere; moved',
        );
        launch = { ...launch, sshPort: port };
      }
    }
  }

  /** A pack that could not start is explained by its own output: the last lines of its log join the error. */
  private async withLog(launch: SessionLaunch | null, error: Error): Promise<Error> {
    if (!launch || !(error instanceof ContainerStartError)) return error;
    const tail = await this.runtime.logTail(launch.name, START_LOG_LINES).catch(() => '');
    return tail.trim() ? new Error(`${error.message}; last lines of its log:\n${tail.trimEnd()}`) : error;
  }
}
