import { randomBytes, randomUUID } from 'node:crypto';

import { Exposure } from '@medforge/shared-schema';

import {
  ContainerExitedError,
  type ContainerRuntime,
  ContainerStartError,
  containerNameFor,
  launchLabels,
  type SessionLaunch,
} from '../../src/ports/container-runtime';

/** What a session's pack does once placed: answers on code-server's port, exits at once, or never answers. */
export type PackKind = 'serves' | 'exits' | 'never-answers';

/** The exit code and output of an `exits` pack, which every harness's pack must give. */
export const EXITING_PACK = { exitCode: 3, log: 'pack failed on purpose' } as const;

export interface ContainerRuntimeHarness {
  runtime: ContainerRuntime;
  /** The pack image of each kind on this runtime. */
  images: Record<PackKind, string>;
  /** A fresh home directory to place a session with. */
  homePath(): string;
  /** The session's main process dies from outside (a crash inside the pack). */
  crash(name: string): Promise<void>;
  /** Readiness waits at most this long for a pack that never answers. */
  readinessTimeoutMs: number;
  close?(): Promise<void>;
}

/**
 * What every ContainerRuntime does, whatever places sessions: run against the in-memory fake and each
 * real adapter, so the lifecycle's unit tests rest on a fake that behaves like the real thing. A new
 * runtime gets this suite by calling it with a harness of its own.
 */
export function defineContainerRuntimeContract(label: string, make: () => Promise<ContainerRuntimeHarness>): void {
  describe(`ContainerRuntime contract: ${label}`, () => {
    let h: ContainerRuntimeHarness;
    const placed: string[] = [];

    beforeAll(async () => {
      h = await make();
    });

    afterAll(async () => {
      for (const name of placed) await h.runtime.remove(name);
      await h.close?.();
    });

    const launch = (kind: PackKind, installationId = 'contract-installation'): SessionLaunch => {
      const slug = `c${randomBytes(4).toString('hex').slice(0, 7)}`;
      placed.push(containerNameFor(slug));
      return {
        name: containerNameFor(slug),
        session: { id: randomUUID(), userId: randomUUID(), slug, exposure: Exposure.EXTERNAL },
        installationId,
        image: h.images[kind],
        gpu: { uuid: 'GPU-virtual-0', virtual: true },
        homePath: h.homePath(),
        readOnlyMounts: [],
        sshPort: null,
        limits: { cpus: null, memoryMib: 256, pids: 256, shmMib: 64 },
        scratchMib: 64,
        env: { MEDFORGE_SESSION_ID: 'contract' },
      };
    };
    const always = async () => true;

    it('claims the instance name for the first installation and answers that holder to later claimants', async () => {
      const first = await h.runtime.claimInstance('inst-first');
      expect(first.installationId).toBe('inst-first');
      expect((await h.runtime.claimInstance('inst-second')).installationId).toBe('inst-first');
    });

    it('places a session labelled with its launch, which inspect and the listing then show', async () => {
      const l = launch('serves');
      const state = await h.runtime.start(l);
      expect(state).toMatchObject({
        name: l.name,
        running: true,
        exitCode: null,
        labels: expect.objectContaining(launchLabels(l)),
      });
      expect(await h.runtime.inspect(l.name)).toMatchObject({ id: state.id, running: true });
      expect((await h.runtime.listSessionContainers()).map((c) => c.name)).toContain(l.name);
      expect(await h.runtime.waitUntilServing(state, h.readinessTimeoutMs, always)).toBe('ready');
    });

    it("replaces a leftover of the same installation and never one of another installation's", async () => {
      const l = launch('serves');
      const first = await h.runtime.start(l);
      const second = await h.runtime.start(l);
      expect(second.id).not.toBe(first.id);
      await expect(h.runtime.start({ ...l, installationId: 'another-installation' })).rejects.toThrow(
        ContainerStartError,
      );
      expect((await h.runtime.inspect(l.name))?.id).toBe(second.id);
    });

    it('reports a pack that exits while starting with its exit code, and keeps its output for the error', async () => {
      const l = launch('exits');
      const state = await h.runtime.start(l);
      const waited = h.runtime.waitUntilServing(state, h.readinessTimeoutMs, always);
      await expect(waited).rejects.toBeInstanceOf(ContainerExitedError);
      await expect(waited).rejects.toMatchObject({ exitCode: EXITING_PACK.exitCode });
      expect(await h.runtime.logTail(l.name, 5)).toContain(EXITING_PACK.log);
    });

    it('gives up on a pack that never answers, and abandons the wait once the session is no longer wanted', async () => {
      const silent = await h.runtime.start(launch('never-answers'));
      const waited = h.runtime.waitUntilServing(silent, h.readinessTimeoutMs, always);
      await expect(waited).rejects.toBeInstanceOf(ContainerStartError);
      await expect(waited).rejects.not.toBeInstanceOf(ContainerExitedError);
      const unwanted = await h.runtime.start(launch('never-answers'));
      expect(await h.runtime.waitUntilServing(unwanted, h.readinessTimeoutMs, async () => false)).toBe('abandoned');
    });

    it('stops gracefully and removes, each repeatable, and a missing session is no error for either', async () => {
      const l = launch('serves');
      await h.runtime.start(l);
      await h.runtime.stop(l.name, 1);
      await h.runtime.stop(l.name, 1);
      expect(await h.runtime.inspect(l.name)).toMatchObject({ running: false, exitCode: expect.any(Number) });
      await h.runtime.remove(l.name);
      await h.runtime.remove(l.name);
      expect(await h.runtime.inspect(l.name)).toBeNull();
      expect((await h.runtime.listSessionContainers()).map((c) => c.name)).not.toContain(l.name);
      await h.runtime.stop(containerNameFor('missing0'), 1);
    });

    it('tells exit watchers about a crash and a stop, and nothing once closed', async () => {
      const exited: string[] = [];
      const watch = h.runtime.watchExits((name) => exited.push(name));
      try {
        const crashed = launch('serves');
        const stopped = launch('serves');
        await h.runtime.start(crashed);
        await h.runtime.start(stopped);
        await new Promise((resolve) => setTimeout(resolve, 300)); // the watch is connected
        await h.crash(crashed.name);
        await h.runtime.stop(stopped.name, 1);
        await until(() => exited.includes(crashed.name) && exited.includes(stopped.name));
        expect(await h.runtime.inspect(crashed.name)).toMatchObject({ running: false });
      } finally {
        watch.close();
      }
      const after = launch('serves');
      await h.runtime.start(after);
      await h.runtime.stop(after.name, 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(exited).not.toContain(after.name);
    });

    it('reads a running session as unused at first, and refuses activity and keys for one that is not running', async () => {
      const l = launch('serves');
      await h.runtime.start(l);
      const activity = await h.runtime.activity(l.name);
      expect(activity).toMatchObject({ workbenchAt: null, sshConnections: 0, keptProcesses: [] });
      await h.runtime.stop(l.name, 1);
      await expect(h.runtime.activity(l.name)).rejects.toThrow();
      await expect(h.runtime.installAuthorizedKeys(l.name, ['ssh-ed25519 AAAA k'])).rejects.toThrow();
    });

    it('notifies and tails logs of a missing session without error', async () => {
      const missing = containerNameFor('missing1');
      await h.runtime.notify(missing, { kind: 'memory-limit', message: 'x' });
      await h.runtime.notify(missing, null);
      expect(await h.runtime.logTail(missing, 5)).toBe('');
    });
  });
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
