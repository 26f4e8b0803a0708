import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { destroyZfsTree, testEnv, testZfsRoot } from '@medforge/shared-schema/testing';

import { type DevCaddy, freePort, startDevCaddy } from '../testkit/caddy';
import { uniqueEmail } from '../testkit/client';
import { devPackImageId } from '../testkit/pack';
import { startTestStack, type TestStack } from '../testkit/stack';
import { medforge } from '../testkit/cli';
import { applyDevFirewall } from '../testkit/firewall';

const REPO = path.resolve(__dirname, '..', '..');
const EVIDENCE = path.join(REPO, 'artifacts', 'validation');

/** `medforge validate` against the local stack: real Caddy, gateway, Docker sessions, zfs-fuse, firewall. */
describe('medforge validate', () => {
  let stack: TestStack;
  let caddy: DevCaddy;
  let env: NodeJS.ProcessEnv;
  const zfsRoot = testZfsRoot();

  beforeAll(async () => {
    // The east-west gate checks the firewall the host is meant to have (development layout: Caddy on
    // the host, so no container is a proxy source). Applied only when absent: other suites share it.
    if (spawnSync('iptables', ['-w', '10', '-S', 'MEDFORGE-EAST-WEST']).status !== 0) applyDevFirewall();
    const port = await freePort();
    const publicUrl = `http://medforge.localhost:${port}`;
    stack = await startTestStack({
      MEDFORGE_PUBLIC_URL: publicUrl,
      MEDFORGE_DEFAULT_PACK_IMAGE: devPackImageId(),
      SESSION_UPSTREAM_ADDRESSING: 'container-ip',
      SESSION_STOP_GRACE_SECONDS: '1',
      WORKSPACE_BACKEND: 'zfs',
      ZFS_WORKSPACE_ROOT: zfsRoot,
    });
    caddy = await startDevCaddy(Number(new URL(stack.gateway.url).port), { port });
    const adminEmail = uniqueEmail('validator-admin');
    env = testEnv({
      IDENTITY_DB_NAME: stack.databases.identity,
      MEDFORGE_PUBLIC_URL: publicUrl,
      VALIDATE_CONNECT_TO: `127.0.0.1:${port}`,
      // create-admin keeps its token here; validate authenticates with it, never with a password.
      MEDFORGE_TOKEN_FILE: path.join(mkdtempSync(path.join(tmpdir(), 'mf-cli-token-')), 'token'),
    });
    expect(
      (await medforge(['create-admin', adminEmail], { ...env, MEDFORGE_ADMIN_PASSWORD: 'correct horse battery' })).code,
    ).toBe(0);
    rmSync(EVIDENCE, { recursive: true, force: true });
  }, 180_000);

  afterAll(async () => {
    await caddy?.stop();
    await stack?.stop();
    destroyZfsTree(zfsRoot);
  }, 90_000);

  it('passes every gate of a healthy deployment and keeps the evidence', async () => {
    const result = await medforge(['validate'], { ...env, VALIDATE_EVIDENCE_DIR: EVIDENCE });
    const lines = result.output.split('\n');
    const outcome = (gate: string) => lines.find((line) => line.includes(` ${gate} `))?.slice(0, 4);
    expect(result.output).not.toMatch(/^FAIL/m);
    expect(result.code).toBe(0);
    for (const gate of [
      'auth-matrix',
      'spoof-resistance',
      'wildcard-routing',
      'websockets',
      'east-west',
      'workspace-write',
      'snapshot-on-stop',
    ])
      expect({ gate, outcome: outcome(gate) }).toEqual({ gate, outcome: 'PASS' });
    // Virtual GPUs here: the gate says why it cannot look (a GPU host passes or fails it).
    expect(outcome('gpu-visibility')).toBe('SKIP');
    expect(lines.at(-1)).toMatch(/^PASS {2}8 of 8 gates passed or were skipped/);
    const eastWest = readFileSync(path.join(EVIDENCE, 'east-west.txt'), 'utf8');
    expect(eastWest).toContain("ok: alice's container to bob's :8080");
    expect(readFileSync(path.join(EVIDENCE, 'snapshot-on-stop.txt'), 'utf8')).toContain('ok: zfs lists the snapshot');
    // The throwaway users are disabled afterwards, and no session of theirs is left running.
    const leftovers = await stack.sessionRuntime
      .knex('sessions')
      .whereIn('status', ['starting', 'running', 'stopping']);
    expect(leftovers).toEqual([]);
    expect(await stack.identity.knex('users').where('email', 'like', 'validate-%').whereNull('disabled_at')).toEqual(
      [],
    );
  }, 300_000);

  it('fails the gates when the edge is bypassed, saying what was wrong', async () => {
    // Straight at the gateway: no Caddy, so session hosts are not routed through forward auth.
    const result = await medforge(['validate'], {
      ...env,
      VALIDATE_CONNECT_TO: new URL(stack.gateway.url).host,
      VALIDATE_EVIDENCE_DIR: path.join(EVIDENCE, 'bypassed'),
    });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/^FAIL {2}auth-matrix .*anonymous on alice's session host: expected 401, got 200/m);
    expect(result.output.split('\n').at(-1)).toMatch(/^FAIL/);
  }, 300_000);
});
