import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateHoldouts } from '@medforge/competition';
import type { Client } from 'graphql-ws';

import { ApiClient, uniqueEmail } from '../testkit/client';
import { TEST_SESSION_API_PORT } from '../testkit/firewall';
import { startRunningSession, stopSessionAndWait } from '../testkit/flows';
import { collect, wsClient } from '../testkit/graphql-ws';
import type { TestStack } from '../testkit/stack';
import { untilTrue } from '../testkit/wait';
import { runInSession, startWorkbenchPlatform, type WorkbenchPlatform } from '../testkit/workbench';

/**
 * From the workbench to the leaderboard: a real session (dev pack) runs `medforge submit` with the
 * token MedForge gave it, through a Caddy on the host at the address sessions resolve the platform's
 * name to, past the east-west firewall's one opening; a real scoring worker scores it, and the owner's
 * console subscription sees it happen.
 */
describe('medforge submit from inside a session', () => {
  let platform: WorkbenchPlatform;
  let stack: TestStack;
  let publicUrl: string;
  let ada: ApiClient;
  const sockets: Client[] = [];

  beforeAll(async () => {
    const holdouts = mkdtempSync(path.join(tmpdir(), 'mf-test-holdouts-'));
    generateHoldouts(holdouts);
    platform = await startWorkbenchPlatform(TEST_SESSION_API_PORT, holdouts);
    ({ stack, publicUrl } = platform);
    ada = new ApiClient(stack.gateway.url);
    ada.origin = publicUrl; // the console's origin here
    await ada.signUp(uniqueEmail('workbench'));
    await ada.graphql('mutation { updateProfile(displayName: "Ada at the bench") { id } }');
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets) await socket.dispose();
    await platform?.stop();
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

    expect((await runInSession(container, ['medforge', 'whoami'])).stdout).toContain('Ada at the bench');
    await runInSession(container, [
      'sh',
      '-c',
      '{ echo PassengerId,Survived; seq 892 1309 | sed "s/$/,0/"; } > /workspace/p.csv',
    ]);
    const submitted = await runInSession(container, ['medforge', 'submit', 'titanic-survival', '/workspace/p.csv']);
    expect(submitted.stderr).toBe('');
    expect(submitted.code).toBe(0);
    expect(submitted.stdout).toMatch(/^submitted p\.csv \(\d+ bytes\) to titanic-survival: [0-9a-f-]{36} QUEUED$/m);
    expect(submitted.stdout).toMatch(/^scored: 0\.\d+/m);
    const id = /: ([0-9a-f-]{36}) QUEUED/.exec(submitted.stdout)![1];
    await untilTrue('the console sees it scored', 10_000, () =>
      watched.events.some((e) => e.submissionUpdated.id === id && e.submissionUpdated.status === 'SCORED'),
    );

    // Refusals a participant can act on: a bad file, a bad token.
    await runInSession(container, ['sh', '-c', 'echo nonsense > /workspace/bad.csv']);
    const bad = await runInSession(container, [
      'medforge',
      'submit',
      'titanic-survival',
      '/workspace/bad.csv',
      '--no-wait',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^medforge: 422 /);
    const forged = await runInSession(container, ['medforge', 'whoami'], {
      MEDFORGE_TOKEN: `mf_pat_${'A'.repeat(43)}`,
    });
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
