import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { databaseOptionsFrom, dropDatabase } from '@medforge/shared-schema';
import { testEnv, uniqueDatabaseName } from '@medforge/shared-schema/testing';

import { ApiClient, uniqueEmail } from '../testkit/client';
import { devPackImageId } from '../testkit/pack';
import { startTestStack, type TestStack } from '../testkit/stack';
import { until } from '../testkit/wait';
import { loadCliConfig } from '@medforge/cli';
import { medforge } from '../testkit/cli';
import { addPack, addSessionRow } from '../testkit/seed';

const PASSWORD = 'correct horse battery';

describe('medforge CLI: migrate', () => {
  it('creates the three databases, applies every migration, then finds them up to date', async () => {
    const names = {
      IDENTITY_DB_NAME: uniqueDatabaseName('cli_identity'),
      SESSION_DB_NAME: uniqueDatabaseName('cli_session'),
      COMPETITION_DB_NAME: uniqueDatabaseName('cli_competition'),
    };
    const env = testEnv(names);
    try {
      const first = await medforge(['migrate'], env);
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toContain(`identity (${names.IDENTITY_DB_NAME}): applied 0001_initial, 0002_ssh_keys`);
      expect(first.stdout).toMatch(/competition \(\w+\): applied 0001_initial, 0002_submission_quotas, 0003/);
      const again = await medforge(['migrate'], env);
      expect(again.stdout.split('\n').every((line) => line.endsWith('up to date'))).toBe(true);
    } finally {
      const config = loadCliConfig(env);
      for (const name of Object.values(names)) await dropDatabase(databaseOptionsFrom(config, name));
    }
  });

  it('says which setting is wrong instead of failing with a stack', async () => {
    const result = await medforge(['migrate'], testEnv({ DB_PORT: 'three' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DB_PORT="three" is invalid');
  });
});

describe('medforge CLI against a running platform', () => {
  let stack: TestStack;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    stack = await startTestStack({
      MEDFORGE_DEFAULT_PACK_IMAGE: devPackImageId(),
      SESSION_STOP_GRACE_SECONDS: '1',
    });
    env = testEnv({
      IDENTITY_DB_NAME: stack.databases.identity,
      SESSION_DB_NAME: stack.databases.session,
      COMPETITION_DB_NAME: stack.databases.competition,
      MEDFORGE_API_URL: stack.gateway.url,
      // Never the operator's own ~/.config/medforge/token.
      MEDFORGE_TOKEN_FILE: path.join(mkdtempSync(path.join(tmpdir(), 'mf-cli-token-')), 'token'),
    });
  }, 120_000);
  afterAll(() => stack?.stop(), 90_000);

  it('creates the first administrator, who can sign in as one', async () => {
    const email = uniqueEmail('first-admin');
    const short = await medforge(['create-admin', email], { ...env, MEDFORGE_ADMIN_PASSWORD: 'short' });
    expect(short).toMatchObject({ code: 1 });
    expect(short.stderr).toContain('Password must be at least 10 characters');
    const missing = await medforge(['create-admin'], env);
    expect(missing.stderr).toContain('usage: medforge create-admin <email>');

    // Standard input only when asked for (an open pipe would otherwise be waited on forever).
    expect((await medforge(['create-admin', email], env, PASSWORD)).stderr).toContain('give a password to create it');
    const created = await medforge(['create-admin', email, '--password-stdin'], env, PASSWORD);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(new RegExp(`^created administrator ${email} \\(`));
    const client = new ApiClient(stack.gateway.url);
    expect((await client.post('/api/v2/auth/login', { email, password: PASSWORD })).status).toBe(200);
    expect((await client.graphql('{ me { role } }')).body.data.me.role).toBe('ADMIN');

    // The CLI's own credential: an API token of that administrator, readable by the operator only.
    const file = env['MEDFORGE_TOKEN_FILE']!;
    expect(created.stdout).toContain(`the CLI's API token for this administrator is in ${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const token = readFileSync(file, 'utf8').trim();
    const tokens = await client.graphql('{ me { apiTokens { name scopes prefix } } }');
    expect(tokens.body.data.me.apiTokens).toEqual([
      expect.objectContaining({
        scopes: ['READ', 'SUBMIT', 'SESSIONS', 'ADMIN', 'KEEPALIVE'],
        prefix: token.slice(0, 11),
      }),
    ]);
  });

  it('promotes an existing account; its open login is an administrator at once', async () => {
    const email = uniqueEmail('promoted');
    const user = new ApiClient(stack.gateway.url);
    await user.signUp(email);
    expect((await user.get('/api/v2/admin/gpus')).status).toBe(403);
    const previous = readFileSync(env['MEDFORGE_TOKEN_FILE']!, 'utf8').trim();
    const promoted = await medforge(['create-admin', email], env);
    expect(promoted.stdout).toContain(`promoted administrator ${email}`);
    // The new administrator's token replaces the file's, and the replaced one is revoked.
    expect(readFileSync(env['MEDFORGE_TOKEN_FILE']!, 'utf8').trim()).not.toBe(previous);
    const old = await fetch(`${stack.gateway.url}/api/v2/me`, { headers: { authorization: `Bearer ${previous}` } });
    expect(old.status).toBe(401);
    await until('the promoted login to be an admin', 5_000, async () =>
      (await user.get('/api/v2/admin/gpus')).status === 200 ? true : undefined,
    );

    const unknown = await medforge(['create-admin', uniqueEmail('nobody')], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('give a password to create it');
  });

  it('lists GPUs with who holds each, and enables or disables one', async () => {
    const holder = new ApiClient(stack.gateway.url);
    const holderEmail = uniqueEmail('gpu-holder');
    const holderId = await holder.signUp(holderEmail);
    const sessionId = await addSessionRow(stack, {
      userId: holderId,
      packId: await addPack(stack, { isDefault: false, name: 'cli-gpus' }),
      gpuId: 5,
      status: 'running',
      slug: 'gpuhold5',
    });
    const listed = await medforge(['gpus'], env);
    await stack.sessionRuntime.knex('sessions').where({ id: sessionId }).update({ status: 'stopped' });
    expect(listed.stdout.split('\n')).toHaveLength(8);
    expect(listed.stdout).toMatch(/^INDEX\s+NAME\s+MEMORY\s+ENABLED\s+PRESENT\s+HELD BY/);
    const rows = listed.stdout.split('\n');
    expect(rows[6]).toMatch(new RegExp(`^5 .* gpuhold5 running \\(${holderEmail}\\)`));
    expect(rows[1]).toMatch(/yes\s+-\s+GPU-/);
    expect((await medforge(['gpus', 'disable', '3'], env)).stdout).toMatch(/^GPU 3 \(.+\) disabled$/);
    expect((await stack.sessionRuntime.knex('gpu_devices').where({ id: 3 }).first()).enabled).toBeFalsy();
    expect((await medforge(['gpus', 'enable', '3'], env)).stdout).toMatch(/enabled$/);
    expect((await medforge(['gpus', 'disable', '99'], env)).stderr).toContain('No GPU with index 99');
    expect((await medforge(['gpus', 'disable', 'x'], env)).stderr).toContain('usage: medforge gpus disable <index>');
    expect((await medforge(['gpus', 'explode'], env)).stderr).toContain('unknown gpus action "explode"');
  });

  it('lists and force-stops sessions, and asks for rescoring, through the API with its token', async () => {
    const noToken = { ...env, MEDFORGE_TOKEN_FILE: path.join(tmpdir(), `mf-no-token-${Date.now()}`) };
    expect((await medforge(['sessions'], noToken)).stderr).toContain('no API token: set MEDFORGE_TOKEN');
    const forged = await medforge(['sessions'], { ...env, MEDFORGE_TOKEN: `mf_pat_${'A'.repeat(43)}` });
    expect(forged.stderr).toContain('401 The API token in the Authorization header is invalid, expired or revoked');
    expect((await medforge(['sessions'], { ...env, MEDFORGE_TOKEN: 'hunter2' })).stderr).toContain(
      'MEDFORGE_TOKEN does not hold a MedForge API token',
    );
    // A token without the ADMIN scope acts as an ordinary user.
    const reader = new ApiClient(stack.gateway.url);
    await reader.signUp(uniqueEmail('cli-reader'));
    const readToken = (
      await reader.graphql('mutation { createApiToken(input: { name: "ro", scopes: [READ] }) { token } }')
    ).body.data.createApiToken.token as string;
    expect((await medforge(['sessions'], { ...env, MEDFORGE_TOKEN: readToken })).stderr).toContain('403');

    const adminEmail = uniqueEmail('cli-operator');
    await medforge(['create-admin', adminEmail], { ...env, MEDFORGE_ADMIN_PASSWORD: PASSWORD });
    const asAdmin = env;

    const user = new ApiClient(stack.gateway.url);
    await user.signUp(uniqueEmail('cli-holder'));
    const created = await user.post('/api/v2/external/sessions', {});
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    const listed = await medforge(['sessions', 'list'], asAdmin);
    expect(listed.stdout).toContain(id);
    const stopped = await medforge(['sessions', 'stop', id], asAdmin);
    expect(stopped).toMatchObject({ code: 0 });
    expect(stopped.stdout).toMatch(/^session \w{8} is (STOPPING|STOPPED)/);
    await until('the session to stop', 60_000, async () =>
      (await stack.sessionRuntime.knex('sessions').where({ id }).first()).status === 'stopped' ? true : undefined,
    );
    // Stopped while still starting: its readiness wait ends with it, not after the 90 s timeout.
    const settled = Date.now();
    await stack.sessionRuntime.services.lifecycle.settle();
    expect(Date.now() - settled).toBeLessThan(5_000);
    expect((await medforge(['sessions', 'list', 'running'], asAdmin)).stdout).not.toContain(id);
    expect((await medforge(['sessions', 'list', 'sideways'], asAdmin)).stderr).toContain('status must be one of');

    const missing = crypto.randomUUID();
    const rescored = await medforge(['rescore', missing], asAdmin);
    expect(rescored.code).toBe(1);
    expect(rescored.stderr).toContain(`/api/v2/admin/submissions/${missing}/score: 404`);
    expect((await medforge(['rescore'], asAdmin)).stderr).toContain('usage: medforge rescore <submission-id>');
  }, 120_000);
});

describe('medforge CLI: check-config', () => {
  it('passes a complete development environment and notes that production rules were skipped', async () => {
    const result = await medforge(
      ['check-config'],
      testEnv({ MEDFORGE_ENV: 'development', TEST_HOLDOUTS_DIR: '/var/lib/medforge/holdouts' }),
    );
    expect(result.stdout).not.toContain('FAIL');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('PASS  session-runtime settings');
    expect(result.stdout).toContain('production rules not applied');
  });

  it('fails each wrong setting and each production rule with the reason', async () => {
    const result = await medforge(
      ['check-config'],
      testEnv({ MEDFORGE_ENV: 'production', CONTEXT_SIGNING_SECRET: 'short', DB_PASSWORD: 'medforge-dev' }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL  identity settings');
    expect(result.stdout).toContain('CONTEXT_SIGNING_SECRET="***" is invalid: must be at least 32 characters');
    expect(result.stdout).toContain('FAIL  database password is not the development default');
    expect(result.stdout).toContain('FAIL  GPUs come from nvidia-smi: MEDFORGE_GPUS=(unset: virtual:7)');
    expect(result.stderr).toMatch(/\d+ checks failed/);
  });

  it('answers an unknown command with the usage', async () => {
    const result = await medforge(['frobnicate'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
    expect(result.stderr).toContain('create-admin <email>');
  });
});
