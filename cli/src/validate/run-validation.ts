import { LABELS } from '@medforge/session-runtime';

import { CliError, type Output } from '../output';
import { EdgeClient, EdgeUser } from '../edge-client';
import { Evidence } from './evidence';
import { docker, GATES, type GateContext, type Outcome, type RunningSession } from './gates';

export interface ValidationSettings {
  publicUrl: string;
  connectTo: string | null;
  /** An API token with the ADMIN scope: it promotes a throwaway administrator for the gates. */
  adminToken: string;
  evidenceDir: string;
  /** How long a session may take to reach RUNNING (first starts pull nothing, but ZFS and code-server take a while). */
  startTimeoutMs: number;
}

interface SessionState {
  id: string;
  slug: string;
  status: string;
  errorMessage: string | null;
  snapshotName: string | null;
}
const SESSION = `query($id: ID!) { session(id: $id) { id slug status errorMessage snapshotName } }`;
const PASSWORD = `validate-${crypto.randomUUID()}`;

/**
 * Checks a running deployment gate by gate, from the outside (through the edge, by host name) and from
 * the host (docker exec, zfs): two throwaway users each start a session, the gates run, the sessions are
 * stopped and the users disabled. Prints PASS/FAIL/SKIP per gate; evidence goes to one file per gate.
 */
export async function runValidation(settings: ValidationSettings, out: Output): Promise<number> {
  const edge = new EdgeClient(settings.publicUrl, settings.connectTo);
  const url = new URL(settings.publicUrl);
  const consoleHost = edge.hostFor(url.hostname);
  const evidence = new Evidence(settings.evidenceDir);
  const user = () => new EdgeUser(edge, consoleHost, url.origin);
  const [admin, alice, bob] = [user(), user(), user()];
  const operator = new EdgeUser(edge, consoleHost, url.origin, settings.adminToken);

  const graphql = async <T>(who: EdgeUser, query: string, variables: Record<string, unknown>) => {
    const response = await who.call<{ data?: T; errors?: Array<{ message: string }> }>('POST', '/graphql', {
      query,
      variables,
    });
    if (!response.body.data) throw new CliError(`GraphQL: ${response.body.errors?.[0]?.message ?? response.status}`);
    return response.body.data;
  };
  const sessionState = async (who: EdgeUser, id: string) =>
    (await graphql<{ session: SessionState | null }>(who, SESSION, { id })).session!;
  const waitFor = async (who: EdgeUser, id: string, done: (s: SessionState) => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await sessionState(who, id);
      if (done(state)) return state;
      if (Date.now() > deadline)
        throw new CliError(`session ${state.slug} is still ${state.status} after ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };

  const signUp = async (who: EdgeUser, label: string) => {
    const email = `validate-${label}-${Date.now().toString(36)}@medforge.invalid`;
    const response = await who.call<{ data: { user: { id: string } } }>('POST', '/api/v2/auth/signup', {
      email,
      password: PASSWORD,
    });
    if (response.status !== 201)
      throw new CliError(`sign-up of ${email} answered ${response.status}: ${JSON.stringify(response.body)}`);
    evidence.record('setup', `signed up ${label}`, email);
    return response.body.data.user.id;
  };
  const startSession = async (who: EdgeUser, label: string): Promise<RunningSession> => {
    const created = await who.call<{ data: { id: string; slug: string } }>('POST', '/api/v2/external/sessions', {});
    if (created.status !== 201)
      throw new CliError(`${label}'s session start answered ${created.status}: ${JSON.stringify(created.body)}`);
    const { id, slug } = created.body.data;
    const state = await waitFor(who, id, (s) => s.status !== 'STARTING', settings.startTimeoutMs);
    if (state.status !== 'RUNNING')
      throw new CliError(`${label}'s session ended ${state.status}: ${state.errorMessage}`);
    const container = docker('ps', '-q', '--filter', `label=${LABELS.sessionId}=${id}`);
    if (!container)
      throw new CliError(`no container carries session ${id} (is this the host running session-runtime?)`);
    const ip = docker(
      'inspect',
      '--format',
      '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}',
      container,
    ).split(' ')[0]!;
    const session = { id, slug, container, ip, host: edge.hostFor(`s-${slug}.external.${url.hostname}`) };
    evidence.record('setup', `${label}'s session`, session);
    return session;
  };
  const stopSession = async (who: EdgeUser, session: RunningSession) => {
    const stopped = await who.call('POST', `/api/v2/external/sessions/${session.id}/stop`, {});
    if (stopped.status !== 202) throw new CliError(`stop answered ${stopped.status}: ${JSON.stringify(stopped.body)}`);
    return waitFor(who, session.id, (s) => s.status === 'STOPPED' || s.status === 'ERROR', 120_000);
  };

  const userIds: string[] = [];
  const started: Array<[EdgeUser, RunningSession]> = [];
  let failures = 0;
  try {
    // The gates need an administrator signed in like a browser (the session host takes only cookies): a
    // throwaway account, promoted with the operator's token and disabled at the end like the others.
    const adminId = await signUp(admin, 'admin');
    userIds.push(adminId);
    const promoted = await operator.call('POST', `/api/v2/admin/users/${adminId}/role`, { role: 'ADMIN' });
    if (promoted.status !== 200)
      throw new CliError(
        `promoting the throwaway administrator answered ${promoted.status} (does the token have the ADMIN scope?)`,
      );
    userIds.push(await signUp(alice, 'alice'), await signUp(bob, 'bob'));
    const aliceSession = await startSession(alice, 'alice');
    started.push([alice, aliceSession]);
    const bobSession = await startSession(bob, 'bob');
    started.push([bob, bobSession]);
    const ctx: GateContext = { edge, consoleHost, evidence, admin, alice, bob, aliceSession, bobSession, stopSession };
    for (const gate of GATES) {
      let outcome: Outcome;
      try {
        outcome = await gate.run(ctx);
      } catch (error) {
        outcome = { result: 'FAIL', summary: `could not run: ${(error as Error).message}` };
      }
      if (outcome.result === 'FAIL') failures++;
      out.line(
        `${outcome.result.padEnd(4)}  ${gate.name.padEnd(18)} ${outcome.summary}  [${evidence.fileOf(gate.name)}]`,
      );
    }
  } finally {
    for (const [who, session] of started) {
      const state = await sessionState(who, session.id).catch(() => null);
      if (state && state.status !== 'STOPPED' && state.status !== 'ERROR')
        await stopSession(who, session).catch(() => undefined);
    }
    for (const id of userIds) {
      await operator.call('POST', `/api/v2/admin/users/${id}/disable`, {}).catch(() => undefined);
    }
  }
  out.line(
    `${failures === 0 ? 'PASS' : 'FAIL'}  ${GATES.length - failures} of ${GATES.length} gates passed or were skipped; evidence in ${settings.evidenceDir}`,
  );
  return failures === 0 ? 0 : 1;
}
