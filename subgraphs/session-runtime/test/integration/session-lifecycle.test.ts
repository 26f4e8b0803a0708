import { randomUUID } from 'node:crypto';

import {
  type Actor,
  createLogger,
  type Knex,
  openDatabase,
  Exposure,
  SESSION_EVENTS_CHANNEL,
  SessionStatus,
} from '@medforge/shared-schema';
import { dropDatabase, type RecordingPublisher, testDatabaseOptions, testEnv } from '@medforge/shared-schema/testing';

import { loadSessionRuntimeConfig, startSessionRuntime } from '../../src';

import { containerNameFor, HostPortTakenError, LABELS, type SessionActivity } from '../../src/ports/container-runtime';
import type { SessionNotification } from '../../src/ports/notification-sink';
import { VirtualGpuInventory } from '../../src/adapters/virtual-gpu-inventory';
import { sessionMigrations } from '../../src/db/migrations';
import { SessionRow } from '../../src/db/models/session.model';
import { WorkspaceSnapshotRow } from '../../src/db/models/workspace-snapshot.model';
import { GpuRegistry } from '../../src/services/gpu-registry';
import { SessionEvents } from '../../src/services/session-events';
import { HomeRestores } from '../../src/services/home-restores';
import { SessionKeys } from '../../src/services/session-keys';
import { MemoryLimitNotices } from '../../src/services/memory-limit-notices';
import { SessionKeepAlive } from '../../src/services/session-keepalive';
import { SessionReaper } from '../../src/services/session-reaper';
import { StopWarnings } from '../../src/services/stop-warnings';
import { NO_OVERRIDES } from '../../src/services/session-limits';
import type { RetentionPolicy } from '../../src/services/snapshot-retention';
import { InMemoryContainerRuntime } from '../fakes/in-memory-container-runtime';
import { InMemorySessionTokens } from '../fakes/in-memory-session-tokens';
import { InMemoryWorkspaceStore } from '../fakes/in-memory-workspace-store';
import { DEFAULT_LIMITS, lifecycleHarness } from './lifecycle-harness';

/**
 * The session state machine and its recovery, with the container engine and the workspace store in
 * memory (no Docker, no ZFS): every crash point and race of the lifecycle in well under a second each.
 * The database is the real MariaDB, because the conditional updates there are what makes the races safe.
 * The same paths against Docker and ZFS are in integration-tests/test/sessions.test.ts and session-crash.test.ts.
 */
describe('session lifecycle and recovery (in-memory runtime and workspaces)', () => {
  const db = testDatabaseOptions('lifecycle_unit');
  const logger = createLogger('session-runtime', 'silent');
  const image = `medforge/pack@sha256:${'b'.repeat(64)}`;
  let knex: Knex;

  beforeAll(async () => {
    knex = await openDatabase(db, sessionMigrations, logger, true);
    await new GpuRegistry(knex).syncFrom(new VirtualGpuInventory(4), logger);
    await knex('packs').insert({ id: randomUUID(), name: 'default', image_ref: image, is_default: true });
  });

  afterAll(async () => {
    await knex?.destroy();
    await dropDatabase(db);
  });

  afterEach(async () => {
    await knex('home_restores').delete();
    await knex('workspace_snapshots').delete();
    await knex('sessions').delete();
  });

  /** Every event of a session: its status, or while starting the phase it entered ('allocating' first). */
  const stepsOf = (publisher: RecordingPublisher, id: string) =>
    publisher.messages
      .filter((m) => m.event['sessionId'] === id)
      .map((m) =>
        m.event['status'] === 'starting' ? String(m.event['startPhase'] ?? 'allocating') : String(m.event['status']),
      );
  const STARTED = ['allocating', 'workspace', 'container', 'code-server'];

  const INSTALLATION = randomUUID();
  const ours = (labels: Record<string, string> = {}) => ({ [LABELS.installation]: INSTALLATION, ...labels });

  function harness(readinessTimeoutMs = 2_000, retention: RetentionPolicy = { keepLast: 100, keepDailyDays: 0 }) {
    return lifecycleHarness(knex, logger, { installationId: INSTALLATION, readinessTimeoutMs, retention });
  }

  const user = (): Actor => ({ userId: randomUUID(), role: 'user', canUseInternal: false });
  const admin = (): Actor => ({ userId: randomUUID(), role: 'admin', canUseInternal: true });
  /** The row as stored, with the generated columns the model leaves out (`gpu_active`: the GPU is held). */
  const reload = async (id: string) =>
    (await SessionRow.query(knex).findById(id)) as SessionRow & { gpu_active: number | null };

  it("gives INTERNAL sessions the installation's package index, and EXTERNAL ones PyPI as it is", async () => {
    const { runtime, lifecycle } = harness();
    const internal = await lifecycle.create(
      { ...user(), canUseInternal: true },
      { exposure: Exposure.INTERNAL, packId: null },
      'req-index-1',
    );
    const external = await lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null }, 'req-index-2');
    await lifecycle.settle();
    expect(runtime.containers.get(containerNameFor(internal.slug))!.launch.env).toMatchObject({
      PIP_INDEX_URL: 'http://172.31.0.5:3141/root/pypi/+simple/',
      PIP_TRUSTED_HOST: '172.31.0.5:3141',
    });
    expect(runtime.containers.get(containerNameFor(external.slug))!.launch.env).not.toHaveProperty('PIP_INDEX_URL');
  });

  it('starts: STARTING then RUNNING, the container bound to the allocated GPU and workspace', async () => {
    const { runtime, workspaces, publisher, lifecycle } = harness();
    const row = await lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null }, 'req-1');
    expect(row.status).toBe(SessionStatus.STARTING);
    await lifecycle.settle();

    const running = await reload(row.id);
    expect(running).toMatchObject({ status: SessionStatus.RUNNING, container_id: expect.any(String) });
    const container = runtime.containers.get(containerNameFor(row.slug))!;
    expect(container.launch.homePath).toBe(`/fake/${row.workspace_zfs}`);
    expect(container.launch.sshPort).toBe(row.ssh_port);
    expect(container.launch.session.id).toBe(row.id);
    expect(container.launch.env['MEDFORGE_SSH_AUTHORIZED_KEYS']).toContain('ssh-ed25519');
    expect(workspaces.workspaces.has(row.workspace_zfs)).toBe(true);
    expect(stepsOf(publisher, row.id)).toEqual(['allocating', 'workspace', 'container', 'code-server', 'running']);
    expect(publisher.messages.every((m) => m.channel === SESSION_EVENTS_CHANNEL)).toBe(true);
  });

  it('stops: STOPPING then STOPPED, with a snapshot, the container gone and the GPU free again', async () => {
    const { runtime, workspaces, publisher, lifecycle } = harness();
    const actor = user();
    const row = await lifecycle.create(actor, { exposure: Exposure.EXTERNAL, packId: null }, 'req-2');
    await lifecycle.settle();
    await lifecycle.stop(actor, row.id);
    await lifecycle.settle();

    const stopped = await reload(row.id);
    expect(stopped).toMatchObject({ status: SessionStatus.STOPPED, gpu_active: null, ssh_port_active: null });
    expect(stopped.snapshot_name).toMatch(new RegExp(`^${row.workspace_zfs}@stop-\\d+-${row.slug}$`));
    expect(workspaces.workspaces.get(row.workspace_zfs)).toHaveLength(1);
    expect(runtime.containers.size).toBe(0);
    expect(stepsOf(publisher, row.id)).toEqual([...STARTED, 'running', 'stopping', 'stopped']);
    const recorded = await WorkspaceSnapshotRow.query(knex).where({ session_id: row.id });
    expect(recorded).toEqual([
      expect.objectContaining({ user_id: actor.userId, name: stopped.snapshot_name, reason: 'stop' }),
    ]);
  });

  it("mounts the user's one home in each of their sessions; snapshots list and delete (owner or admin)", async () => {
    const { runtime, workspaces, lifecycle, snapshots } = harness();
    const owner = user();
    const first = await lifecycle.create(owner, { exposure: Exposure.EXTERNAL, packId: null }, 'req-h1');
    const second = await lifecycle.create(owner, { exposure: Exposure.EXTERNAL, packId: null }, 'req-h2');
    await lifecycle.settle();
    expect(first.workspace_zfs).toBe(workspaces.homeName(owner.userId));
    expect(second.workspace_zfs).toBe(first.workspace_zfs);
    const mounts = [...runtime.containers.values()].map((c) => c.launch.homePath);
    expect(mounts).toEqual([`/fake/${first.workspace_zfs}`, `/fake/${first.workspace_zfs}`]);
    await Promise.all([lifecycle.stop(owner, first.id), lifecycle.stop(owner, second.id)]);
    await lifecycle.settle();

    const listed = await snapshots.forUser(owner.userId, 50);
    expect(listed.map((v) => v.session?.id).sort()).toEqual([first.id, second.id].sort());
    expect(listed.every((v) => v.space?.referencedBytes === 1)).toBe(true);
    expect(await snapshots.forUser(user().userId, 50)).toEqual([]);

    const [newest, older] = listed as [(typeof listed)[0], (typeof listed)[0]];
    await expect(snapshots.delete(user(), newest.row.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await snapshots.delete(owner, newest.row.id);
    await snapshots.delete({ userId: randomUUID(), role: 'admin', canUseInternal: true }, older.row.id);
    expect(await snapshots.forUser(owner.userId, 50)).toEqual([]);
    expect(workspaces.workspaces.get(first.workspace_zfs)).toEqual([]);
    expect((await reload(newest.session!.id)).snapshot_name).toBeNull();
    await expect(snapshots.delete(owner, newest.row.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a snapshot deleted from the store but not from the database (a crash between) is deleted on a retry', async () => {
    const { workspaces, lifecycle, snapshots } = harness();
    const owner = user();
    const row = await lifecycle.create(owner, { exposure: Exposure.EXTERNAL, packId: null }, 'req-h3');
    await lifecycle.settle();
    await lifecycle.stop(owner, row.id);
    await lifecycle.settle();
    const [view] = await snapshots.forUser(owner.userId, 50);
    await workspaces.deleteSnapshot(view!.row.name); // the first delete got this far
    expect((await snapshots.forUser(owner.userId, 50))[0]!.space).toBeNull();
    await snapshots.delete(owner, view!.row.id);
    expect(await snapshots.forUser(owner.userId, 50)).toEqual([]);
  });

  it("starts sessions with the defaults, under the pack's limits, under an admin's limits for the user", async () => {
    const { runtime, lifecycle, limits } = harness();
    const owner = user();
    const [pack] = await knex('packs').where({ is_default: true }).select('id');
    const started = async () => {
      const row = await lifecycle.create(owner, { exposure: Exposure.EXTERNAL, packId: null }, 'req-l');
      await lifecycle.settle();
      const applied = runtime.containers.get(containerNameFor(row.slug))!.launch.limits;
      expect(JSON.parse((await reload(row.id)).resource_limits!)).toEqual(applied);
      await lifecycle.stop(owner, row.id);
      await lifecycle.settle();
      return applied;
    };
    expect(await started()).toEqual(DEFAULT_LIMITS);
    await expect(limits.setForPack(owner, pack.id, { ...NO_OVERRIDES, cpus: 4 })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await limits.setForPack(admin(), pack.id, { cpus: 4, memoryMib: 8192, pids: null, shmMib: 16384 });
    // /dev/shm is memory: never more than the memory limit.
    expect(await started()).toEqual({ cpus: 4, memoryMib: 8192, pids: 4096, shmMib: 8192 });
    await limits.setForUser(admin(), owner.userId, { ...NO_OVERRIDES, cpus: 16, pids: 100_000 });
    expect(await started()).toEqual({ cpus: 16, memoryMib: 8192, pids: 100_000, shmMib: 8192 });
    await expect(limits.setForUser(admin(), owner.userId, { ...NO_OVERRIDES, memoryMib: 10 })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      extensions: { field: 'memoryMib' },
    });
    await limits.setForPack(admin(), pack.id, NO_OVERRIDES);
    await knex('user_session_limits').delete();
  });

  describe('idle and maximum-runtime stops', () => {
    const MIN = 60_000;
    const policy = { idleTimeoutMs: 60 * MIN, maxRuntimeMs: 24 * 60 * MIN, warningMs: 10 * MIN };
    const busy = { cpuPercent: 50, gpuPercent: 10, windowMs: 2 * MIN };

    /** A running session with its reaper, what reached the webhook, and the GPU utilisation the reaper reads. */
    async function runningSession(h: ReturnType<typeof harness>, runtimeCeilingMs: number | null = 48 * 60 * MIN) {
      const owner = user();
      const row = await h.lifecycle.create(owner, { exposure: Exposure.EXTERNAL, packId: null }, 'req-idle');
      await h.lifecycle.settle();
      const started = (await reload(row.id)).started_at!;
      const sent: SessionNotification[] = [];
      const gpuPercent = new Map<number, number>();
      const warnings = new StopWarnings(
        knex,
        h.runtime,
        new SessionEvents(h.publisher, logger),
        { send: async (notification) => void sent.push(notification) },
        { contact: async () => ({ email: 'owner@example.org', displayName: 'Owner' }) },
        'unit',
        logger,
      );
      const gpus = { meanUtilization: (index: number) => gpuPercent.get(index) ?? null };
      const reaper = new SessionReaper(knex, h.runtime, h.lifecycle, warnings, gpus, policy, busy, 60_000, logger);
      let clock = started;
      const keepAlive = new SessionKeepAlive(
        knex,
        warnings,
        {
          idleTimeoutMs: policy.idleTimeoutMs,
          maxKeepAliveMs: 24 * 60 * MIN,
          maxRuntimeMs: policy.maxRuntimeMs,
          runtimeCeilingMs,
        },
        logger,
        { now: () => clock },
      );
      const after = (minutes: number) => (clock = new Date(started.getTime() + minutes * MIN));
      const activity = (seen: Partial<SessionActivity>) =>
        h.runtime.activities.set(containerNameFor(row.slug), {
          workbenchAt: null,
          sshConnections: 0,
          cpuUsageNs: null,
          keptProcesses: [],
          ...seen,
        });
      return {
        owner,
        row,
        reaper,
        keepAlive,
        after,
        activity,
        sent,
        gpuPercent,
        container: containerNameFor(row.slug),
      };
    }

    it('announces the stop of an idle session everywhere, withdraws it on activity, and stops it at the deadline', async () => {
      const h = harness();
      const { row, reaper, after, activity, sent, container } = await runningSession(h);
      expect(await reaper.runOnce(after(30))).toMatchObject({ warned: 0, stopped: 0 });
      expect(await reaper.runOnce(after(52))).toMatchObject({ warned: 1 });
      expect((await reload(row.id)).stop_scheduled_at).toEqual(after(60));
      expect(h.publisher.messages.at(-1)!.event).toMatchObject({ sessionId: row.id, status: 'running' });
      // In the workbench and on the terminals, and to the webhook, naming the user, the session and the time.
      expect(h.runtime.notices.get(container)).toMatchObject({ kind: 'stop-warning', stopAt: after(60).toISOString() });
      expect(h.runtime.notices.get(container)!.message).toMatch(/looks idle and will be stopped at \d\d:\d\d UTC/);
      expect(sent).toEqual([
        expect.objectContaining({
          event: 'session.stop_warning',
          user: { id: row.user_id, email: 'owner@example.org', displayName: 'Owner' },
          session: expect.objectContaining({ id: row.id, slug: row.slug }),
          stop: { at: after(60).toISOString(), reason: 'idle' },
        }),
      ]);
      expect(await reaper.runOnce(after(53))).toMatchObject({ warned: 0 }); // announced once

      activity({ workbenchAt: after(55) });
      await reaper.runOnce(after(56));
      expect(await reload(row.id)).toMatchObject({
        stop_scheduled_at: null,
        last_activity_at: after(55),
        activity_reason: 'workbench in use',
      });
      expect(h.runtime.notices.has(container)).toBe(false);

      expect(await reaper.runOnce(after(116))).toMatchObject({ stopped: 1 });
      await h.lifecycle.settle();
      expect(await reload(row.id)).toMatchObject({ status: SessionStatus.STOPPED, stop_reason: 'idle' });
    });

    it('an SSH connection keeps a session in use; the maximum runtime stops it all the same', async () => {
      const h = harness();
      const { row, reaper, after, activity } = await runningSession(h);
      activity({ sshConnections: 1 });
      expect(await reaper.runOnce(after(300))).toMatchObject({ stopped: 0, warned: 0 });
      expect((await reload(row.id)).activity_reason).toBe('1 SSH connection');
      expect(await reaper.runOnce(after(24 * 60 - 5))).toMatchObject({ warned: 1 });
      expect((await reload(row.id)).stop_scheduled_reason).toBe('max-runtime');
      expect(await reaper.runOnce(after(24 * 60))).toMatchObject({ stopped: 1 });
      await h.lifecycle.settle();
      expect(await reload(row.id)).toMatchObject({ status: SessionStatus.STOPPED, stop_reason: 'max-runtime' });
    });

    it('a busy container CPU keeps a session with no browser and no SSH; an idle one does not', async () => {
      const h = harness();
      const { row, reaper, after, activity } = await runningSession(h);
      const core = 60e9; // one core for a minute, in ns
      // Training: 1.5 cores for 70 minutes, read every minute.
      for (let minute = 0; minute <= 70; minute++) {
        activity({ cpuUsageNs: minute * 1.5 * core });
        expect(await reaper.runOnce(after(minute))).toMatchObject({ stopped: 0, warned: 0 });
      }
      expect(await reload(row.id)).toMatchObject({ activity_reason: 'CPU 150 %', last_activity_at: after(70) });
      // Then it ends: 5 % of a core is not work. The two-minute window still holds a busy minute at 71;
      // an hour of idling after that, the session stops.
      for (let minute = 71; minute <= 131; minute++) {
        activity({ cpuUsageNs: (70 * 1.5 + (minute - 70) * 0.05) * core });
        await reaper.runOnce(after(minute));
      }
      await h.lifecycle.settle();
      expect(await reload(row.id)).toMatchObject({ status: SessionStatus.STOPPED, stop_reason: 'idle' });
    });

    it('a busy GPU, or a process its user marked, keeps a session in use and says so', async () => {
      const h = harness();
      const { row, reaper, after, activity, gpuPercent } = await runningSession(h);
      gpuPercent.set(row.gpu_id!, 87.4);
      await reaper.runOnce(after(100));
      expect(await reload(row.id)).toMatchObject({ activity_reason: 'GPU 87 %', last_activity_at: after(100) });
      gpuPercent.set(row.gpu_id!, 3); // below the threshold: no longer counts
      activity({ keptProcesses: [{ pid: 4242, command: 'python train.py --fold 0' }] });
      await reaper.runOnce(after(200));
      expect(await reload(row.id)).toMatchObject({
        activity_reason: 'kept running by "python train.py --fold 0"',
        last_activity_at: after(200),
        status: SessionStatus.RUNNING,
      });
    });

    it('keeps a session running when asked, withdraws the announced stop, and refuses what it may not do', async () => {
      const h = harness();
      const { owner, row, reaper, keepAlive, after, container } = await runningSession(h);
      expect(await reaper.runOnce(after(52))).toMatchObject({ warned: 1 });
      after(53);
      const kept = await keepAlive.keepAlive(owner, row.id, 8);
      expect(kept).toMatchObject({ keep_alive_until: after(53 + 8 * 60), stop_scheduled_at: null });
      expect(h.runtime.notices.has(container)).toBe(false);
      // No idle stop before then, however idle; warned ten minutes before.
      expect(await reaper.runOnce(after(53 + 8 * 60 - 11))).toMatchObject({ warned: 0, stopped: 0 });
      expect(await reaper.runOnce(after(53 + 8 * 60 - 9))).toMatchObject({ warned: 1 });

      // Without hours: one idle period from now.
      after(600);
      expect((await keepAlive.keepAlive(owner, row.id, null)).keep_alive_until).toEqual(after(660));
      // Past the maximum runtime (24 h): extended, up to the installation's ceiling (48 h after the start).
      after(23 * 60);
      expect((await keepAlive.keepAlive(owner, row.id, 10)).runtime_limit_at).toEqual(after(33 * 60));
      after(40 * 60);
      await expect(keepAlive.keepAlive(owner, row.id, 10)).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        message: expect.stringMatching(
          /may run until .* at most \(this installation's limit of 48 hours after a start\); keep it running for at most 8 hours/,
        ),
      });
      await expect(keepAlive.keepAlive(owner, row.id, 25)).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        message: 'hours must be more than 0 and at most 24',
      });
      await expect(keepAlive.keepAlive(owner, row.id, 0)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      // Someone else's: as if it did not exist; an admin may; a session's token only its own session.
      await expect(keepAlive.keepAlive(user(), row.id, 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await keepAlive.keepAlive(admin(), row.id, 1)).keep_alive_until).toEqual(after(41 * 60));
      await expect(
        keepAlive.keepAlive({ ...owner, apiTokenId: 't', scopes: ['keepalive'], sessionId: randomUUID() }, row.id, 1),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      // A stopped one: a conflict, said so.
      await h.lifecycle.stop(owner, row.id);
      await h.lifecycle.settle();
      await expect(keepAlive.keepAlive(owner, row.id, 1)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: `Session ${row.slug} is stopped; only a running session can be kept running`,
      });
    });

    it('tells a session where its user is when a process of it hits the memory limit', async () => {
      const h = harness();
      const { row, container } = await runningSession(h);
      await knex('sessions')
        .where({ id: row.id })
        .update({ resource_limits: JSON.stringify({ cpus: null, memoryMib: 16384, pids: 4096, shmMib: 4096 }) });
      const notices = new MemoryLimitNotices(knex, h.runtime, logger);
      notices.start();
      try {
        h.runtime.outOfMemory(container);
        await waitFor(() => h.runtime.notices.has(container));
        expect(h.runtime.notices.get(container)).toEqual({
          kind: 'memory-limit',
          message: expect.stringMatching(
            /^A process in this session was stopped: the session reached its memory limit of 16 GiB\./,
          ),
        });
        // Another installation's or an unknown container: nothing.
        h.runtime.outOfMemory('mf-session-unknown1');
        h.runtime.outOfMemory('postgres');
      } finally {
        notices.stop();
      }
    });

    it('records who stopped a session: its owner or an admin', async () => {
      const h = harness();
      const owner = user();
      const mine = await h.lifecycle.create(owner, { exposure: Exposure.EXTERNAL, packId: null }, 'req-s1');
      const forced = await h.lifecycle.create(owner, { exposure: Exposure.EXTERNAL, packId: null }, 'req-s2');
      await h.lifecycle.settle();
      await h.lifecycle.stop(owner, mine.id);
      await h.lifecycle.stop(admin(), forced.id);
      await h.lifecycle.settle();
      expect((await reload(mine.id)).stop_reason).toBe('user');
      expect((await reload(forced.id)).stop_reason).toBe('admin');
    });
  });

  it("installs a user's changed SSH keys into their running sessions only", async () => {
    const { runtime, lifecycle } = harness();
    const owner = user();
    const other = user();
    const mine = await lifecycle.create(owner, { exposure: Exposure.EXTERNAL, packId: null }, 'req-k1');
    const theirs = await lifecycle.create(other, { exposure: Exposure.EXTERNAL, packId: null }, 'req-k2');
    await lifecycle.settle();
    const newKeys = ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINew laptop'];
    const sessionKeys = new SessionKeys(knex, runtime, { authorizedKeys: async () => newKeys }, logger);
    expect(await sessionKeys.refresh(owner.userId)).toBe(1);
    expect(runtime.installedKeys.get(containerNameFor(mine.slug))).toEqual(newKeys);
    expect(runtime.installedKeys.has(containerNameFor(theirs.slug))).toBe(false);
    expect(await sessionKeys.refresh(user().userId)).toBe(0);
  });

  describe('restores and read-only snapshots', () => {
    /** A user whose home held `v1` at a first stop and `v2` at a second; the home now holds `v3`. */
    async function userWithTwoSnapshots(h: ReturnType<typeof harness>) {
      const owner = user();
      const home = h.workspaces.homeName(owner.userId);
      for (const contents of ['v1', 'v2']) {
        const row = await h.lifecycle.create(owner, { exposure: Exposure.EXTERNAL, packId: null }, `req-${contents}`);
        await h.lifecycle.settle();
        h.workspaces.contents.set(home, contents);
        await h.lifecycle.stop(owner, row.id);
        await h.lifecycle.settle();
      }
      h.workspaces.contents.set(home, 'v3');
      const [second, first] = await h.snapshots.forUser(owner.userId, 50);
      return { owner, home, first: first!.row, second: second!.row };
    }

    it('restores a snapshot into the home after a safety snapshot, blocking starts while it runs', async () => {
      const h = harness();
      const { owner, home, first } = await userWithTwoSnapshots(h);
      await expect(h.restores.start(user(), first.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const release = h.workspaces.holdReplace(); // a long copy
      const restore = await h.restores.start(owner, first.id);
      expect(restore.status).toBe('running');
      await expect(
        h.lifecycle.create(owner, { exposure: Exposure.EXTERNAL, packId: null }, 'req-r1'),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await expect(h.restores.start(owner, first.id)).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(h.snapshots.delete(owner, first.id)).rejects.toMatchObject({ code: 'CONFLICT' });
      release();
      await h.restores.settle();

      const done = (await h.restores.byId(owner, restore.id))!;
      expect(done).toMatchObject({ status: 'done', error_message: null });
      expect(h.workspaces.contents.get(home)).toBe('v1');
      expect(h.workspaces.contents.get(done.safety_snapshot!)).toBe('v3');
      expect(h.workspaces.views.size).toBe(0);
      const listed = await h.snapshots.forUser(owner.userId, 50);
      expect(listed[0]!.row).toMatchObject({ name: done.safety_snapshot, reason: 'safety', session_id: null });
      expect(await h.restores.byId(user(), restore.id)).toBeNull();
      // Sessions start again once it is done.
      await h.lifecycle.create(owner, { exposure: Exposure.EXTERNAL, packId: null }, 'req-r2');
      await h.lifecycle.settle();
    });

    it('refuses while a session of the user is active: the home is in use', async () => {
      const h = harness();
      const { owner, first } = await userWithTwoSnapshots(h);
      await h.lifecycle.create(owner, { exposure: Exposure.EXTERNAL, packId: null }, 'req-r3');
      await expect(h.restores.start(owner, first.id)).rejects.toMatchObject({ code: 'CONFLICT' });
      await h.lifecycle.settle();
    });

    it('a copy that fails ends FAILED, naming the safety snapshot that holds the home as it was', async () => {
      const h = harness();
      const { owner, home, first } = await userWithTwoSnapshots(h);
      h.workspaces.failNextReplace();
      const restore = await h.restores.start(owner, first.id);
      await h.restores.settle();
      const failed = (await h.restores.byId(owner, restore.id))!;
      expect(failed.status).toBe('failed');
      expect(failed.error_message).toContain('injected copy failure');
      expect(failed.error_message).toContain(`kept in snapshot ${failed.safety_snapshot!.split('@')[1]}`);
      expect(h.workspaces.contents.get(failed.safety_snapshot!)).toBe('v3');
      expect(h.workspaces.contents.get(home)).toBe('half-copied');
      expect(h.workspaces.views.size).toBe(0);
    });

    it('a restore cut off by a crash mid-copy is finished at the next start, without a second safety snapshot', async () => {
      const h = harness();
      const { owner, home, second } = await userWithTwoSnapshots(h);
      // The process died mid-copy: the safety snapshot was taken and recorded, the view is open.
      const safety = await h.workspaces.snapshot(home, 'safety-1');
      await knex('workspace_snapshots').insert({
        id: randomUUID(),
        user_id: owner.userId,
        workspace: home,
        name: safety,
        reason: 'safety',
      });
      const id = randomUUID();
      await knex('home_restores').insert({
        id,
        user_id: owner.userId,
        workspace: home,
        snapshot_name: second.name,
        safety_snapshot: safety,
        status: 'running',
        requested_by: owner.userId,
      });
      await h.workspaces.openSnapshot(second.name, `restore-${id}`);
      h.workspaces.contents.set(home, 'half-copied');

      // A new process on the same disks: its boot finishes the restore from where it can.
      const restarted = new HomeRestores(knex, h.workspaces, { workspaceQuotaBytes: null }, logger);
      expect(await restarted.resumeUnfinished()).toBe(1);
      await restarted.settle();
      expect((await restarted.byId(owner, id))!.status).toBe('done');
      expect(h.workspaces.contents.get(home)).toBe('v2');
      expect(h.workspaces.views.size).toBe(0);
      const safetyRows = await knex('workspace_snapshots').where({ user_id: owner.userId, reason: 'safety' });
      expect(safetyRows).toHaveLength(1);
    });

    it('mounts a snapshot read-only at /snapshot in a new session, and closes the view when it stops', async () => {
      const h = harness();
      const { owner, first } = await userWithTwoSnapshots(h);
      await expect(
        h.lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null, snapshotId: first.id }, 'req-v0'),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const row = await h.lifecycle.create(
        owner,
        { exposure: Exposure.EXTERNAL, packId: null, snapshotId: first.id },
        'req-v1',
      );
      await h.lifecycle.settle();
      expect(row.viewed_snapshot).toBe(first.name);
      const container = h.runtime.containers.get(containerNameFor(row.slug))!;
      expect(container.launch.readOnlyMounts).toEqual([
        { hostPath: `/fake-view/${row.id}`, containerPath: '/snapshot' },
      ]);
      expect(container.launch.env['MEDFORGE_SNAPSHOT']).toBe('/snapshot');
      await expect(h.snapshots.delete(owner, first.id)).rejects.toMatchObject({ code: 'CONFLICT' });
      await h.lifecycle.stop(owner, row.id);
      await h.lifecycle.settle();
      expect(h.workspaces.views.size).toBe(0);
      await h.snapshots.delete(owner, first.id);
    });

    it('keeps the last N snapshots after each stop and deletes the rest', async () => {
      const h = harness(2_000, { keepLast: 2, keepDailyDays: 0 });
      const owner = user();
      const slugs: string[] = [];
      for (let i = 0; i < 4; i++) {
        const row = await h.lifecycle.create(owner, { exposure: Exposure.EXTERNAL, packId: null }, `req-k${i}`);
        await h.lifecycle.settle();
        await h.lifecycle.stop(owner, row.id);
        await h.lifecycle.settle();
        slugs.push(row.slug);
      }
      const kept = await h.snapshots.forUser(owner.userId, 50);
      expect(kept.map((v) => v.session!.slug)).toEqual([slugs[3], slugs[2]]);
      expect(h.workspaces.workspaces.get(h.workspaces.homeName(owner.userId))).toHaveLength(2);
    });
  });

  it("hands the session its owner's submit-only token and the platform's address, and revokes the token at the end", async () => {
    const { runtime, lifecycle, tokens } = harness();
    const actor = user();
    const row = await lifecycle.create(actor, { exposure: Exposure.EXTERNAL, packId: null }, 'req-token');
    await lifecycle.settle();
    const { launch } = runtime.containers.get(containerNameFor(row.slug))!;
    expect(launch.env['MEDFORGE_TOKEN']).toBe(tokens.issued.get(row.id));
    expect(launch.env['MEDFORGE_URL']).toBe('https://medforge.example.org');
    expect(tokens.revoked.has(row.id)).toBe(false);
    await lifecycle.stop(actor, row.id);
    await lifecycle.settle();
    expect(tokens.revoked.has(row.id)).toBe(true);

    // A start that fails gives its token back too; identity being down only costs the token.
    runtime.behave(image, { kind: 'exits', exitCode: 1, log: 'boom' });
    const failed = await lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null }, 'req-token-2');
    await lifecycle.settle();
    expect((await reload(failed.id)).status).toBe(SessionStatus.ERROR);
    expect(tokens.revoked.has(failed.id)).toBe(true);
    runtime.behave(image, { kind: 'serves' });
    tokens.failing = true;
    const tokenless = await lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null }, 'req-token-3');
    await lifecycle.settle();
    expect((await reload(tokenless.id)).status).toBe(SessionStatus.RUNNING);
    expect(runtime.containers.get(containerNameFor(tokenless.slug))!.launch.env['MEDFORGE_TOKEN']).toBeUndefined();
  });

  it('a pack that exits at once fails the start with its exit code and log, and leaves nothing behind', async () => {
    const { runtime, workspaces, lifecycle } = harness();
    runtime.behave(image, { kind: 'exits', exitCode: 127, log: 'line one\nexec: code-server: not found' });
    const row = await lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null }, 'req-3');
    await lifecycle.settle();

    const failed = await reload(row.id);
    expect(failed.status).toBe(SessionStatus.ERROR);
    expect(failed.error_message).toContain('the container exited with code 127 while starting');
    expect(failed.error_message).toContain('code-server: not found');
    expect(failed.gpu_active).toBeNull();
    expect(runtime.containers.size).toBe(0);
    // The home stays (it holds the user's files from earlier sessions); nothing was snapshotted.
    expect(workspaces.workspaces.get(row.workspace_zfs)).toEqual([]);
  });

  it('a pack that never answers fails at the readiness timeout', async () => {
    const { runtime, lifecycle } = harness(100);
    runtime.behave(image, { kind: 'never-answers' });
    const row = await lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null }, 'req-4');
    await lifecycle.settle();
    expect((await reload(row.id)).error_message).toContain('code-server did not answer in time');
  });

  it('a container that dies during readiness fails the start at once', async () => {
    const { runtime, lifecycle } = harness();
    const release = runtime.holdReadiness();
    const row = await lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null }, 'req-5');
    await waitFor(() => runtime.containers.has(containerNameFor(row.slug)));
    runtime.containers.get(containerNameFor(row.slug))!.log = 'Killed';
    runtime.kill(containerNameFor(row.slug), 137);
    release();
    await lifecycle.settle();
    const failed = await reload(row.id);
    expect(failed.error_message).toContain('exited with code 137');
    expect(failed.error_message).toContain('Killed');
  });

  it('moves to another SSH host port when another program holds the one allocated', async () => {
    const { runtime, lifecycle } = harness();
    const release = runtime.holdReadiness();
    runtime.failNext('start', new HostPortTakenError(0));
    const row = await lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null }, 'req-port');
    release();
    await lifecycle.settle();
    const running = await reload(row.id);
    expect(running.status).toBe(SessionStatus.RUNNING);
    expect(running.ssh_port).not.toBe(row.ssh_port);
    expect(runtime.containers.get(containerNameFor(row.slug))!.launch.sshPort).toBe(running.ssh_port);
    expect(runtime.calls.filter((c) => c.startsWith('start ')).length).toBe(2);
  });

  it('a Docker error on create fails the start and frees the GPU', async () => {
    const { runtime, lifecycle } = harness();
    runtime.failNext('start', new Error('no such image'));
    const row = await lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null }, 'req-6');
    await lifecycle.settle();
    expect(await reload(row.id)).toMatchObject({ status: SessionStatus.ERROR, gpu_active: null });
    expect((await reload(row.id)).error_message).toBe('Starting failed: no such image');
  });

  it('a stop during readiness waits for provisioning, then stops and removes the container it made', async () => {
    const { runtime, publisher, lifecycle } = harness();
    const actor = user();
    const release = runtime.holdReadiness();
    const row = await lifecycle.create(actor, { exposure: Exposure.EXTERNAL, packId: null }, 'req-7');
    await waitFor(() => runtime.containers.has(containerNameFor(row.slug)));
    const stopping = await lifecycle.stop(actor, row.id);
    expect(stopping.status).toBe(SessionStatus.STOPPING);
    release();
    await lifecycle.settle();

    expect((await reload(row.id)).status).toBe(SessionStatus.STOPPED);
    expect(runtime.running()).toEqual([]);
    expect(runtime.containers.size).toBe(0);
    // Never RUNNING: the stop won the race and provisioning gave up.
    expect(stepsOf(publisher, row.id).filter((step) => !STARTED.includes(step))).toEqual(['stopping', 'stopped']);
  });

  it('concurrent stops are one stop; a stop of a finished session is a no-op', async () => {
    const { runtime, lifecycle } = harness();
    const actor = user();
    const row = await lifecycle.create(actor, { exposure: Exposure.EXTERNAL, packId: null }, 'req-8');
    await lifecycle.settle();
    await Promise.all([lifecycle.stop(actor, row.id), lifecycle.stop(actor, row.id), lifecycle.stop(actor, row.id)]);
    await lifecycle.settle();
    expect(runtime.calls.filter((c) => c.startsWith('stop ')).length).toBe(1);
    const again = await lifecycle.stop(actor, row.id);
    expect(again.status).toBe(SessionStatus.STOPPED);
  });

  it('another user cannot stop the session (NOT_FOUND, not FORBIDDEN: it does not exist for them)', async () => {
    const { lifecycle } = harness();
    const row = await lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null }, 'req-9');
    await lifecycle.settle();
    await expect(lifecycle.stop(user(), row.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await reload(row.id)).status).toBe(SessionStatus.RUNNING);
  });

  it('a failed stop snapshot ends the session as ERROR with the reason, container removed', async () => {
    const { runtime, workspaces, lifecycle } = harness();
    const actor = user();
    const row = await lifecycle.create(actor, { exposure: Exposure.EXTERNAL, packId: null }, 'req-10');
    await lifecycle.settle();
    workspaces.failNextSnapshot(new Error('pool is full'));
    await lifecycle.stop(actor, row.id);
    await lifecycle.settle();
    const failed = await reload(row.id);
    expect(failed).toMatchObject({ status: SessionStatus.ERROR, gpu_active: null });
    expect(failed.error_message).toBe('Stopping failed: pool is full');
    expect(runtime.containers.size).toBe(0);
  });

  describe('recovery', () => {
    it('a STARTING row nobody works on (the process died mid-start) fails and is undone', async () => {
      const crashed = harness();
      const release = crashed.runtime.holdReadiness();
      const row = await crashed.lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null }, 'req-11');
      await waitFor(() => crashed.runtime.containers.has(containerNameFor(row.slug)));

      // A new process over the same database and engine: the old one's provisioning is lost with it.
      const restarted = harness();
      for (const [name, container] of crashed.runtime.containers) restarted.runtime.containers.set(name, container);
      const report = await restarted.recovery.reconcile();
      expect(report.startingFailed).toBe(1);
      const failed = await reload(row.id);
      expect(failed.status).toBe(SessionStatus.ERROR);
      expect(failed.error_message).toContain('restarted while the session was starting');
      expect(restarted.runtime.containers.size).toBe(0);
      release();
      await crashed.lifecycle.settle();
      expect((await reload(row.id)).status).toBe(SessionStatus.ERROR); // the late step did not win
    });

    it('leaves a session alone while this process is still provisioning it', async () => {
      const { runtime, lifecycle, recovery } = harness();
      const release = runtime.holdReadiness();
      const row = await lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null }, 'req-12');
      await waitFor(() => runtime.containers.has(containerNameFor(row.slug)));
      expect(await recovery.reconcile()).toMatchObject({ startingFailed: 0, orphansRemoved: 0 });
      release();
      await lifecycle.settle();
      expect((await reload(row.id)).status).toBe(SessionStatus.RUNNING);
    });

    it('a RUNNING session whose container died ends as ERROR with a snapshot', async () => {
      const { runtime, workspaces, lifecycle, recovery } = harness();
      const row = await lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null }, 'req-13');
      await lifecycle.settle();
      runtime.kill(containerNameFor(row.slug), 137);
      expect(await recovery.reconcile()).toMatchObject({ runningLost: 1 });
      const lost = await reload(row.id);
      expect(lost.status).toBe(SessionStatus.ERROR);
      expect(lost.error_message).toContain('exited with code 137');
      expect(lost.snapshot_name).toContain(row.workspace_zfs);
      expect(workspaces.workspaces.get(row.workspace_zfs)).toHaveLength(1);
      expect(lost.gpu_active).toBeNull();
    });

    it('an exit event reconciles at once, without waiting for the poll', async () => {
      const { runtime, lifecycle, recovery } = harness();
      const row = await lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null }, 'req-14');
      await lifecycle.settle();
      await recovery.start();
      try {
        runtime.kill(containerNameFor(row.slug), 1);
        await waitFor(async () => (await reload(row.id)).status === SessionStatus.ERROR);
      } finally {
        await recovery.stop();
      }
    });

    it('a STOPPING row whose finalization died resumes and ends STOPPED', async () => {
      const { runtime, lifecycle, recovery } = harness();
      const actor = user();
      const row = await lifecycle.create(actor, { exposure: Exposure.EXTERNAL, packId: null }, 'req-15');
      await lifecycle.settle();
      // The process died right after recording the stop: the row says STOPPING, nothing is in flight.
      await knex('sessions').where({ id: row.id }).update({ status: SessionStatus.STOPPING });
      expect(await recovery.reconcile()).toMatchObject({ stoppingResumed: 1 });
      expect((await reload(row.id)).status).toBe(SessionStatus.STOPPED);
      expect(runtime.containers.size).toBe(0);
    });

    it('removes containers of this installation that no active session owns, and only those', async () => {
      const { runtime, lifecycle, recovery } = harness();
      const stopped = await lifecycle.create(user(), { exposure: Exposure.EXTERNAL, packId: null }, 'req-16');
      await lifecycle.settle();
      await lifecycle.stop(admin(), stopped.id);
      await lifecycle.settle();
      runtime.plant('mf-session-orphan01', ours({ [LABELS.sessionId]: randomUUID() }));
      runtime.plant('mf-session-nolabel', ours());
      // Made before containers carried the installation: ours because it names a session of this database.
      runtime.plant('mf-session-legacy01', { [LABELS.sessionId]: stopped.id });
      // Another installation's, even with our instance name: left alone.
      runtime.plant('mf-session-foreign1', { [LABELS.installation]: randomUUID(), [LABELS.sessionId]: randomUUID() });
      runtime.plant('mf-session-foreign2', { [LABELS.sessionId]: randomUUID() });
      expect(await recovery.reconcile()).toMatchObject({ orphansRemoved: 3 });
      expect([...runtime.containers.keys()].sort()).toEqual(['mf-session-foreign1', 'mf-session-foreign2']);
      // Reported once, not at every pass.
      expect(await recovery.reconcile()).toMatchObject({ orphansRemoved: 0 });
      // Nor is a name held by another installation's container ever replaced by a start.
      expect(runtime.start({ name: 'mf-session-foreign1', labels: ours() } as never)).rejects.toThrow(
        /belongs to another MedForge installation/,
      );
    });

    it('a failing engine makes health degraded, and it recovers when the engine answers again', async () => {
      const { runtime, recovery } = harness();
      runtime.failNext('list', new Error('Cannot connect to the Docker daemon'));
      await recovery.start();
      try {
        expect(recovery.health()).toBe('failing (1 in a row): Cannot connect to the Docker daemon');
        // The next run (here set off by a container exit) succeeds and health is ok again.
        runtime.plant('mf-session-exiting', ours());
        runtime.kill('mf-session-exiting', 0);
        await waitFor(() => recovery.health() === 'ok');
        expect(runtime.containers.size).toBe(0);
      } finally {
        await recovery.stop();
      }
    });
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the session-runtime composition root with every adapter passed in', () => {
  const db = testDatabaseOptions('root_fakes');

  afterAll(() => dropDatabase(db));

  it('boots without Docker, ZFS or identity, and its boot reconciliation uses the runtime it was given', async () => {
    const runtime = new InMemoryContainerRuntime();
    const adapters = {
      containers: runtime,
      workspaces: new InMemoryWorkspaceStore(),
      gpus: new VirtualGpuInventory(3),
      sshKeys: { authorizedKeys: async () => [] },
      sessionTokens: new InMemorySessionTokens(),
    };
    const start = (database: string, instance = 'fakes') =>
      startSessionRuntime(
        loadSessionRuntimeConfig(
          testEnv({ SESSION_RUNTIME_PORT: '0', SESSION_DB_NAME: database, MEDFORGE_INSTANCE: instance }),
        ),
        adapters,
      );
    // The first start makes the installation's id and claims the instance name on the engine.
    await (await start(db.database)).stop();
    const installationId = runtime.claim!.installationId;
    runtime.plant('mf-session-leftover', { [LABELS.installation]: installationId, [LABELS.sessionId]: randomUUID() });
    const app = await start(db.database);
    try {
      expect(runtime.containers.size).toBe(0);
      expect(await app.knex('installation').select('id')).toEqual([{ id: installationId }]);
      expect(await app.knex('gpu_devices').count({ n: '*' })).toEqual([{ n: 3 }]);
      const health = (await (await fetch(`${app.url.replace(/\/graphql$/, '')}/healthz`)).json()) as { status: string };
      expect(health.status).toBe('ok');
    } finally {
      await app.stop();
    }
  });

  it('refuses to start a second installation with the instance name of one on the same engine', async () => {
    const runtime = new InMemoryContainerRuntime();
    runtime.claim = { installationId: 'b6f1c0de-0000-4000-8000-000000000001', claimedAt: '2026-12-01T08:00:00.000Z' };
    const other = testDatabaseOptions('root_fakes_second');
    try {
      await expect(
        startSessionRuntime(
          loadSessionRuntimeConfig(testEnv({ SESSION_RUNTIME_PORT: '0', SESSION_DB_NAME: other.database })),
          {
            containers: runtime,
            workspaces: new InMemoryWorkspaceStore(),
            gpus: new VirtualGpuInventory(1),
            sshKeys: { authorizedKeys: async () => [] },
            sessionTokens: new InMemorySessionTokens(),
          },
        ),
      ).rejects.toThrow(
        `MEDFORGE_INSTANCE "${other.database}" is already used on this container engine by another MedForge ` +
          'installation (installation b6f1c0de-0000-4000-8000-000000000001, since 2026-12-01T08:00:00.000Z)',
      );
    } finally {
      await dropDatabase(other);
    }
  });
});
