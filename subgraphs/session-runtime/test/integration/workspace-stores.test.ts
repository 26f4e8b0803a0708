import { randomUUID } from 'node:crypto';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { destroyZfsTree, readFromSnapshot, TEST_ZFS_POOL, testZfsRoot } from '@medforge/shared-schema/testing';

import { DirectoryWorkspaceStore } from '../../src/adapters/directory-workspace-store';
import { stopSnapshotName } from '../../src/ports/workspace-store';
import { ZfsWorkspaceStore } from '../../src/adapters/zfs-workspace-store';
import { defineWorkspaceStoreContract, type WorkspaceStoreHarness } from '../contracts/workspace-store.contract';

/** The contract's text lives in one file of the home (the fake keeps it as a label). */
const NOTES = 'notes.txt';
const filesOnDisk = (): Pick<WorkspaceStoreHarness, 'write' | 'read'> => ({
  write: async (hostPath, text) => writeFileSync(join(hostPath, NOTES), text),
  read: async (hostPath) => readFileSync(join(hostPath, NOTES), 'utf8'),
});

defineWorkspaceStoreContract('ZfsWorkspaceStore on zfs-fuse', async () => {
  const root = testZfsRoot();
  return {
    store: new ZfsWorkspaceStore(root),
    enforcesQuota: true,
    ...filesOnDisk(),
    close: async () => destroyZfsTree(root),
  };
});

defineWorkspaceStoreContract('DirectoryWorkspaceStore', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mf-ws-contract-'));
  return {
    store: new DirectoryWorkspaceStore(root),
    enforcesQuota: false,
    ...filesOnDisk(),
    close: async () => rmSync(root, { recursive: true, force: true }),
  };
});

describe('ZFS workspace store on zfs-fuse', () => {
  const root = testZfsRoot();
  const store = new ZfsWorkspaceStore(root);

  afterAll(() => destroyZfsTree(root));

  it("creates a user's home dataset owned by 1000:1000 with a refquota, idempotently", async () => {
    const user = randomUUID();
    const home = store.homeName(user);
    expect(home).toBe(`${root}/${user}/home`);
    const { hostPath } = await store.ensure(home, 64 * 1024 * 1024);
    expect(await store.ensure(home, 64 * 1024 * 1024)).toEqual({ hostPath });
    const stat = statSync(hostPath);
    expect([stat.uid, stat.gid]).toEqual([1000, 1000]);
    expect(await store.property(home, 'refquota')).toBe(String(64 * 1024 * 1024));
    expect(await store.exists(home)).toBe(true);
    // How full it is: what the files take against the quota; writing past it fails with EDQUOT.
    writeFileSync(join(hostPath, 'data.bin'), Buffer.alloc(8 * 1024 * 1024, 1));
    const usage = (await store.usage(home))!;
    expect(usage.quotaBytes).toBe(64 * 1024 * 1024);
    expect(usage.usedBytes).toBeGreaterThan(4 * 1024 * 1024); // zfs-fuse counts a write once its transaction group syncs
    expect(await store.usage(store.homeName(randomUUID()))).toBeNull();
  });

  it('keeps the file in the stop snapshot after the live file changes; sizes and deletes snapshots', async () => {
    const home = store.homeName(randomUUID());
    const { hostPath } = await store.ensure(home, null);
    writeFileSync(join(hostPath, 'notes.txt'), 'before stop');
    const first = await store.snapshot(home, stopSnapshotName('aaaa2222', new Date(1_700_000_000_123)));
    expect(first).toBe(`${home}@stop-1700000000123-aaaa2222`);
    writeFileSync(join(hostPath, 'notes.txt'), 'after stop');
    writeFileSync(join(hostPath, 'weights.bin'), Buffer.alloc(512 * 1024, 7));
    const second = await store.snapshot(home, stopSnapshotName('bbbb3333', new Date(1_700_000_000_123)));
    expect(await store.listSnapshots(home)).toEqual([first, second]);
    expect(readFromSnapshot(first, 'notes.txt')).toBe('before stop');

    const gone = `${home}@stop-1-cccc4444`;
    const space = await store.snapshotSpace([first, second, gone]);
    expect([...space.keys()].sort()).toEqual([first, second].sort());
    expect(space.get(second)!.referencedBytes).toBeGreaterThan(space.get(first)!.referencedBytes);
    expect(space.get(second)!.referencedBytes).toBeGreaterThanOrEqual(512 * 1024);

    await store.deleteSnapshot(first);
    await store.deleteSnapshot(first); // asked again after a crash: already gone is fine
    expect(await store.listSnapshots(home)).toEqual([second]);
    expect(readFileSync(join(hostPath, 'notes.txt'), 'utf8')).toBe('after stop');
  });

  it('opens a snapshot as a read-only view and restores the home from it, idempotently', async () => {
    const home = store.homeName(randomUUID());
    const { hostPath } = await store.ensure(home, null);
    mkdirSync(join(hostPath, 'src'));
    writeFileSync(join(hostPath, 'src', 'train.py'), 'epochs = 10\n');
    writeFileSync(join(hostPath, '.bashrc'), 'export A=1\n');
    chownSync(join(hostPath, 'src', 'train.py'), 1000, 1000);
    const snapshot = await store.snapshot(home, 'stop-1-aaaa2222');
    writeFileSync(join(hostPath, 'src', 'train.py'), 'epochs = 99\n');
    writeFileSync(join(hostPath, '.cache-later'), 'junk');
    rmSync(join(hostPath, '.bashrc'));

    const view = await store.openSnapshot(snapshot, 'restore-test');
    expect(await store.openSnapshot(snapshot, 'restore-test')).toEqual(view);
    expect(readFileSync(join(view.hostPath, 'src', 'train.py'), 'utf8')).toBe('epochs = 10\n');
    expect(() => writeFileSync(join(view.hostPath, 'x'), 'no')).toThrow(/EROFS|read-only/i);

    await store.replaceContents(home, view.hostPath);
    await store.replaceContents(home, view.hostPath); // run again after a crash: same result
    expect(readdirSync(hostPath).sort()).toEqual(['.bashrc', 'src']);
    expect(readFileSync(join(hostPath, 'src', 'train.py'), 'utf8')).toBe('epochs = 10\n');
    expect(statSync(join(hostPath, 'src', 'train.py')).uid).toBe(1000);

    await store.closeSnapshot(snapshot, 'restore-test');
    await store.closeSnapshot(snapshot, 'restore-test');
    expect(await store.exists(`${root}/${home.split('/').at(-2)}/view-restore-test`)).toBe(false);
    await store.deleteSnapshot(snapshot); // no clone left depending on it
  });

  it('serializes concurrent creates and snapshots (zfs-fuse refuses parallel ones)', async () => {
    const homes = Array.from({ length: 4 }, () => store.homeName(randomUUID()));
    await Promise.all(homes.map((h) => store.ensure(h, null)));
    const snapshots = await Promise.all(homes.map((h, i) => store.snapshot(h, `stop-${i}-x`)));
    await Promise.all(snapshots.map((s) => store.deleteSnapshot(s)));
    for (const h of homes) expect(await store.listSnapshots(h)).toEqual([]);
  });

  it('refuses names outside its root or with odd characters', async () => {
    await expect(store.ensure(`${TEST_ZFS_POOL}/other/x`, null)).rejects.toThrow(/outside/);
    await expect(store.ensure(`${root}/../x`, null)).rejects.toThrow(/outside|invalid/);
    await expect(store.snapshot(store.homeName('u'), 'bad name')).rejects.toThrow(/invalid/);
    await expect(store.deleteSnapshot(`${TEST_ZFS_POOL}/other@x`)).rejects.toThrow(/outside/);
    await expect(store.deleteSnapshot(store.homeName('u'))).rejects.toThrow(/invalid snapshot/);
  });
});

describe('directory workspace store', () => {
  const root = mkdtempSync(join(tmpdir(), 'mf-ws-'));
  const store = new DirectoryWorkspaceStore(root);

  it('hands a new home to the session user and restores every file of a copy, nothing more', async () => {
    const home = store.homeName(randomUUID());
    const { hostPath } = await store.ensure(home);
    expect(statSync(hostPath).uid).toBe(1000);
    writeFileSync(join(hostPath, 'model.py'), 'print(1)');
    const snapshot = await store.snapshot(home, 'stop-42-abcd2345');
    writeFileSync(join(hostPath, 'model.py'), 'print(2)');
    expect(readFileSync(join(store.snapshotPath(snapshot), 'model.py'), 'utf8')).toBe('print(1)');
    writeFileSync(join(hostPath, 'later.txt'), 'later');
    await store.replaceContents(home, (await store.openSnapshot(snapshot)).hostPath);
    expect(readdirSync(hostPath)).toEqual(['model.py']);
    expect(readFileSync(join(hostPath, 'model.py'), 'utf8')).toBe('print(1)');
  });

  it('refuses path tricks', async () => {
    await expect(store.ensure('../etc')).rejects.toThrow(/invalid workspace name/);
    await expect(store.ensure('a/../../b')).rejects.toThrow(/invalid workspace name/);
    await expect(store.deleteSnapshot('../../etc@x')).rejects.toThrow(/invalid workspace name/);
    await expect(store.deleteSnapshot('u/home@../x')).rejects.toThrow(/invalid snapshot/);
  });
});
