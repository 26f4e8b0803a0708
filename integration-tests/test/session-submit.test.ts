import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateHoldouts } from '@medforge/competition';
import type { Client } from 'graphql-ws';

import { type DevCaddy, startDevCaddy } from '../testkit/caddy';
import { uniqueEmail, ApiClient } from '../testkit/client';
import { applyDevFirewall, dockerHostGateway, TEST_SESSION_API_PORT } from '../testkit/firewall';
import { startRunningSession, stopSessionAndWait } from '../testkit/flows';
import { collect, wsClient } from '../testkit/graphql-ws';
import { devPackImageId } from '../testkit/pack';
import { startScoringWorker, type WorkerProcess } from '../testkit/scoring-worker';
import { startTestStack, type TestStack } from '../testkit/stack';
import { untilTrue } from '../testkit/wait';

/**
 * From the workbench to the leaderboard: a real session (dev pack) runs `medforge submit` with the
 * token MedForge gave it, through a Caddy on the host at the address sessions resolve the platform's
 * name to, past the east-west firewall's one opening; a real scoring worker scores it, and the owner's
 * console subscription sees it happen.
 */
describe('medforge submit from inside a session', () => {
  let stack: TestStack;
  let caddy: DevCaddy;
  let worker: WorkerProcess;
  let ada: ApiClient;
  const sockets: Client[] = [];
  const publicUrl = `http://medforge.localhost:${TEST_SESSION_API_PORT}`;
  // Asynchronous: the platform answering the command runs in this very process.
  const inSession = (container: string, args: string[], env: Record<string, string> = {}) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'docker',
        ['exec', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), container, ...args],
        { encoding: 'utf8', timeout: 120_000 },
        (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    applyDevFirewall();
    stack = await startTestStack({
      MEDFORGE_DEFAULT_PACK_IMAGE: devPackImageId(),
      SESSION_UPSTREAM_ADDRESSING: 'container-ip',
      SESSION_STOP_GRACE_SECONDS: '1',
      MEDFORGE_PUBLIC_URL: publicUrl,
      SESSION_API_HOST_EXTERNAL: 'host-gateway',
    });
    caddy = await startDevCaddy(Number(new URL(stack.gateway.url).port), {
      port: TEST_SESSION_API_PORT,
      sessionsBind: dockerHostGateway(),
    });
    const holdouts = mkdtempSync(path.join(tmpdir(), 'mf-test-holdouts-'));
    generateHoldouts(holdouts);
    worker = await startScoringWorker(stack, holdouts);
    ada = new ApiClient(stack.gateway.url);
    ada.origin = publicUrl; // the console's origin here
    await ada.signUp(uniqueEmail('workbench'));
    await ada.graphql('mutation { updateProfile(displayName: "Ada at the bench") { id } }');
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets) await socket.dispose();
    await worker?.stop();
    await caddy?.stop();
    await stack?.stop();
  }, 90_000);

  it('submits from the workbench with the session token; the console sees it scored; the token ends with the session', async () => {
    const socket = wsClient(stack.gateway.url, ada.cookie, publicUrl);
    sockets.push(socket);
    const watched = collect(socket, 'subscription { submissionUpdated { id status primaryScore } }');
    const session = await startRunningSession(ada);
    const container = `mf-session-${session.slug}`;
    const env = Object.fromEntries(
      (
        JSON.parse(
          execFileSync('docker', ['inspect', '--format', '{{json .Config.Env}}', container]).toString(),
        ) as string[]
      ).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(env['MEDFORGE_URL']).toBe(publicUrl);
    expect(env['MEDFORGE_TOKEN']).toMatch(/^mf_ses_/);

    expect((await inSession(container, ['medforge', 'whoami'])).stdout).toContain('Ada at the bench');
    await inSession(container, [
      'sh',
      '-c',
      '{ echo PassengerId,Survived; seq 892 1309 | sed "s/$/,0/"; } > /workspace/p.csv',
    ]);
    const submitted = await inSession(container, ['medforge', 'submit', 'titanic-survival', '/workspace/p.csv']);
    expect(submitted.stderr).toBe('');
    expect(submitted.status).toBe(0);
    expect(submitted.stdout).toMatch(/^submitted p\.csv \(\d+ bytes\) to titanic-survival: [0-9a-f-]{36} QUEUED$/m);
    expect(submitted.stdout).toMatch(/^scored: 0\.\d+/m);
    const id = /: ([0-9a-f-]{36}) QUEUED/.exec(submitted.stdout)![1];
    await untilTrue('the console sees it scored', 10_000, () =>
      watched.events.some((e) => e.submissionUpdated.id === id && e.submissionUpdated.status === 'SCORED'),
    );

    // Refusals a participant can act on: a bad file, a bad token.
    await inSession(container, ['sh', '-c', 'echo nonsense > /workspace/bad.csv']);
    const bad = await inSession(container, [
      'medforge',
      'submit',
      'titanic-survival',
      '/workspace/bad.csv',
      '--no-wait',
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^medforge: 422 /);
    const forged = await inSession(container, ['medforge', 'whoami'], { MEDFORGE_TOKEN: `mf_pat_${'A'.repeat(43)}` });
    expect(forged.stderr).toContain('401');

    // The session's token submits, and does nothing else.
    const asToken = (route: string, method = 'GET') =>
      fetch(`${stack.gateway.url}${route}`, { method, headers: { authorization: `Bearer ${env['MEDFORGE_TOKEN']}` } });
    expect((await asToken('/api/v2/external/sessions', 'POST')).status).toBe(403);
    expect((await asToken('/api/v2/me/snapshots')).status).toBe(403);

    await stopSessionAndWait(ada, session.id);
    expect((await asToken('/api/v2/me')).status).toBe(401);
  }, 240_000);
});
