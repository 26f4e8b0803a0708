import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type CompetitionApp, loadCompetitionConfig, startCompetition } from '@medforge/competition';
import { type IdentityApp, loadIdentityConfig, startIdentity } from '@medforge/identity';
import {
  loadSessionRuntimeConfig,
  type SessionRuntimeAdapters,
  type SessionRuntimeApp,
  startSessionRuntime,
} from '@medforge/session-runtime';
import { dropDatabase, removeTestInstance, testDatabaseOptions, testEnv } from '@medforge/shared-schema/testing';

import { type GatewayApp, loadGatewayConfig, startGateway } from '@medforge/gateway';

export interface TestStack {
  gateway: GatewayApp;
  identity: IdentityApp;
  sessionRuntime: SessionRuntimeApp;
  competition: CompetitionApp;
  /** Database names per subgraph (the session one also names the runtime's instance label). */
  databases: { identity: string; session: string; competition: string };
  /** What a scoring worker for this stack needs. */
  pipeline: { submissionsDir: string; scoringQueue: string; competitionDb: string };
  /** Another gateway in front of the same subgraphs, Redis and databases (as GATEWAY_REPLICAS runs them). */
  startGatewayReplica(): Promise<GatewayApp>;
  stop(): Promise<void>;
}

export interface TestStackOptions {
  /** Adapters session-runtime uses instead of the ones its config names (e.g. nvidia-smi GPUs). */
  sessionRuntimeAdapters?: Partial<SessionRuntimeAdapters>;
}

/**
 * The whole platform in one process on ephemeral ports, each subgraph on a fresh database of the real
 * MariaDB. `stop()` closes everything and drops the databases.
 */
export async function startTestStack(
  envOverrides: Record<string, string> = {},
  options: TestStackOptions = {},
): Promise<TestStack> {
  const dbs = {
    identity: testDatabaseOptions('gw_identity'),
    session: testDatabaseOptions('gw_session'),
    competition: testDatabaseOptions('gw_competition'),
  };
  const started: Array<{ stop(): Promise<void> }> = [];
  // Each stack has its own submission files and scoring queue, so parallel stacks never share jobs.
  const submissionsDir = mkdtempSync(join(tmpdir(), 'mf-stack-submissions-'));
  const scoringQueue = `scoring-${dbs.competition.database}`;
  const stop = async () => {
    for (const service of started.reverse()) await service.stop();
    // Sessions outlive a control-plane stop by design; a test stack takes its own containers with it.
    removeTestInstance(dbs.session.database);
    await Promise.all(Object.values(dbs).map((db) => dropDatabase(db)));
  };
  try {
    const identity = await startIdentity(
      loadIdentityConfig(testEnv({ IDENTITY_PORT: '0', IDENTITY_DB_NAME: dbs.identity.database, ...envOverrides })),
    );
    started.push(identity);
    const sessionRuntime = await startSessionRuntime(
      loadSessionRuntimeConfig(
        testEnv({
          SESSION_RUNTIME_PORT: '0',
          SESSION_DB_NAME: dbs.session.database,
          MEDFORGE_GPUS: 'virtual:7',
          IDENTITY_URL: identity.url,
          MEDFORGE_INSTANCE: dbs.session.database,
          WORKSPACE_DIRECTORY_ROOT: mkdtempSync(join(tmpdir(), 'mf-stack-ws-')),
          ...envOverrides,
        }),
      ),
      options.sessionRuntimeAdapters,
    );
    started.push(sessionRuntime);
    const competition = await startCompetition(
      loadCompetitionConfig(
        testEnv({
          COMPETITION_PORT: '0',
          COMPETITION_DB_NAME: dbs.competition.database,
          SUBMISSIONS_DIR: submissionsDir,
          SCORING_QUEUE_NAME: scoringQueue,
          ...envOverrides,
        }),
      ),
    );
    started.push(competition);
    const gatewayConfig = () =>
      loadGatewayConfig(
        testEnv({
          GATEWAY_PORT: '0',
          IDENTITY_URL: identity.url,
          SESSION_RUNTIME_URL: sessionRuntime.url,
          COMPETITION_URL: competition.url,
          ...envOverrides,
        }),
      );
    const gateway = await startGateway(gatewayConfig());
    started.push(gateway);
    return {
      gateway,
      identity,
      sessionRuntime,
      competition,
      databases: {
        identity: dbs.identity.database,
        session: dbs.session.database,
        competition: dbs.competition.database,
      },
      pipeline: { submissionsDir, scoringQueue, competitionDb: dbs.competition.database },
      startGatewayReplica: async () => {
        const replica = await startGateway(gatewayConfig());
        started.push(replica);
        return replica;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
