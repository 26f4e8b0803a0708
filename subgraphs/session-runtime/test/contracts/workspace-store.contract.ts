import { randomUUID } from 'node:crypto';

import type { WorkspaceStore } from '../../src/ports/workspace-store';

export interface WorkspaceStoreHarness {
  store: WorkspaceStore;
  /** Whether usage() reports the quota ensure() was given (ZFS) or none (directories, the fake). */
  enforcesQuota: boolean;
  /** Puts `text` in the files at a host path the store handed out (a home). */
  write(hostPath: string, text: string): Promise<void>;
  /** What the files at a host path the store handed out (a home or a view) hold. */
  read(hostPath: string): Promise<string>;
  close?(): Promise<void>;
}

/**
 * What every WorkspaceStore does, whatever keeps the homes: run against the in-memory fake, directories
 * and ZFS, so the lifecycle's and restore's unit tests rest on a fake that behaves like the real stores.
 */
export function defineWorkspaceStoreContract(label: string, make: () => Promise<WorkspaceStoreHarness>): void {
  describe(`WorkspaceStore contract: ${label}`, () => {
    let h: WorkspaceStoreHarness;

    beforeAll(async () => {
      h = await make();
    });

    afterAll(async () => {
      await h.close?.();
    });

    const freshHome = () => h.store.homeName(randomUUID());

    it('creates a home once, however often ensured, and says what it holds against its quota', async () => {
      const home = freshHome();
      expect(h.store.homeName(randomUUID())).not.toBe(home);
      expect(await h.store.exists(home)).toBe(false);
      expect(await h.store.usage(home)).toBeNull();
      const quota = 64 * 1024 * 1024;
      const { hostPath } = await h.store.ensure(home, quota);
      expect(await h.store.ensure(home, quota)).toEqual({ hostPath });
      expect(await h.store.exists(home)).toBe(true);
      expect(await h.store.usage(home)).toEqual({
        usedBytes: expect.any(Number),
        quotaBytes: h.enforcesQuota ? quota : null,
      });
    });

    it('keeps what the home held in a snapshot, lists and sizes snapshots, and deletes them repeatably', async () => {
      const home = freshHome();
      const { hostPath } = await h.store.ensure(home, null);
      await h.write(hostPath, 'before stop');
      const first = await h.store.snapshot(home, 'stop-1-aaaa2222');
      expect(first).toBe(`${home}@stop-1-aaaa2222`);
      await h.write(hostPath, 'after stop');
      const second = await h.store.snapshot(home, 'stop-2-bbbb3333');
      expect((await h.store.listSnapshots(home)).sort()).toEqual([first, second]);

      const gone = `${home}@stop-3-cccc4444`;
      const space = await h.store.snapshotSpace([first, second, gone]);
      expect([...space.keys()].sort()).toEqual([first, second]);
      expect(space.get(first)).toEqual({ referencedBytes: expect.any(Number), uniqueBytes: expect.any(Number) });
      expect(space.get(first)!.referencedBytes).toBeGreaterThan(0);

      await h.store.deleteSnapshot(first);
      await h.store.deleteSnapshot(first); // asked again after a crash
      expect(await h.store.listSnapshots(home)).toEqual([second]);
      expect(await h.read(hostPath)).toBe('after stop');
    });

    it('opens a snapshot as a view, idempotently, and restores the home from it, repeatably', async () => {
      const home = freshHome();
      const { hostPath } = await h.store.ensure(home, null);
      await h.write(hostPath, 'epochs = 10');
      const snapshot = await h.store.snapshot(home, 'stop-5-dddd5555');
      await h.write(hostPath, 'epochs = 99');

      const view = await h.store.openSnapshot(snapshot, 'contract-view');
      expect(await h.store.openSnapshot(snapshot, 'contract-view')).toEqual(view);
      expect(await h.read(view.hostPath)).toBe('epochs = 10');
      await h.store.replaceContents(home, view.hostPath);
      await h.store.replaceContents(home, view.hostPath); // finishing the job after a crash
      expect(await h.read(hostPath)).toBe('epochs = 10');

      await h.store.closeSnapshot(snapshot, 'contract-view');
      await h.store.closeSnapshot(snapshot, 'contract-view');
      await h.store.deleteSnapshot(snapshot);
      expect(await h.store.listSnapshots(home)).toEqual([]);
    });

    it('refuses a snapshot of a home that does not exist, a view of a missing snapshot, and odd names', async () => {
      const home = freshHome();
      await expect(h.store.snapshot(home, 'stop-6-eeee6666')).rejects.toThrow();
      await h.store.ensure(home, null);
      await expect(h.store.openSnapshot(`${home}@stop-7-ffff7777`, 'contract-missing')).rejects.toThrow();
      await expect(h.store.snapshot(home, 'bad name')).rejects.toThrow(/invalid/);
      await expect(h.store.deleteSnapshot(home)).rejects.toThrow(/invalid snapshot/);
    });
  });
}
