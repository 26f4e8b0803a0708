import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { destroyZfsTree, readFromSnapshot, TEST_ZFS_POOL, testZfsRoot } from '@medforge/shared-schema/testing';

import { DirectoryWorkspaceStore } from '../src/adapters/directory-workspace-store';
import { stopSnapshotName } from '../src/adapters/workspace-store';
import { ZfsWorkspaceStore } from '../src/adapters/zfs-workspace-store';

describe('ZFS workspace store on zfs-fuse', () => {
  const root = testZfsRoot();
  const store = new ZfsWorkspaceStore(root);

  afterAll(() => destroyZfsTree(root));

  it('creates a per-session dataset owned by 1000:1000 with a refquota, idempotently', async () => {
    const workspace = store.workspaceName(randomUUID(), randomUUID());
    const { hostPath } = await store.ensure(workspace, 64 * 1024 * 1024);
    expect(await store.ensure(workspace, 64 * 1024 * 1024)).toEqual({ hostPath });
    const stat = statSync(hostPath);
    expect([stat.uid, stat.gid]).toEqual([1000, 1000]);
    expect(await store.property(workspace, 'refquota')).toBe(String(64 * 1024 * 1024));
    expect(await store.exists(workspace)).toBe(true);
  });

  it('keeps the user file in the stop snapshot, even after the live file changes', async () => {
    const workspace = store.workspaceName(randomUUID(), randomUUID());
    const { hostPath } = await store.ensure(workspace, null);
    writeFileSync(join(hostPath, 'notes.txt'), 'before stop');
    const snapshot = await store.snapshot(workspace, stopSnapshotName(new Date(1_700_000_000_123)));
    expect(snapshot).toBe(`${workspace}@stop-1700000000123`);
    writeFileSync(join(hostPath, 'notes.txt'), 'after stop');
    expect(await store.listSnapshots(workspace)).toEqual([snapshot]);
    expect(readFromSnapshot(snapshot, 'notes.txt')).toBe('before stop');
  });

  it('serializes concurrent creates and destroys (zfs-fuse refuses parallel ones)', async () => {
    const user = randomUUID();
    const workspaces = Array.from({ length: 6 }, () => store.workspaceName(user, randomUUID()));
    await Promise.all(workspaces.map((w) => store.ensure(w, null)));
    await Promise.all(workspaces.map((w) => store.destroy(w)));
    for (const w of workspaces) expect(await store.exists(w)).toBe(false);
  });

  it('refuses names outside its root or with odd characters', async () => {
    await expect(store.ensure(`${TEST_ZFS_POOL}/other/x`, null)).rejects.toThrow(/outside/);
    await expect(store.ensure(`${root}/../x`, null)).rejects.toThrow(/outside|invalid/);
    await expect(store.snapshot(store.workspaceName('u', 's'), 'bad name')).rejects.toThrow(/invalid/);
  });
});

describe('directory workspace store', () => {
  const root = mkdtempSync(join(tmpdir(), 'mf-ws-'));
  const store = new DirectoryWorkspaceStore(root);

  it('creates, snapshots by copy, and destroys a workspace', async () => {
    const workspace = store.workspaceName(randomUUID(), randomUUID());
    const { hostPath } = await store.ensure(workspace);
    expect(statSync(hostPath).uid).toBe(1000);
    writeFileSync(join(hostPath, 'model.py'), 'print(1)');
    const snapshot = await store.snapshot(workspace, 'stop-42');
    writeFileSync(join(hostPath, 'model.py'), 'print(2)');
    expect(readFileSync(join(store.snapshotPath(snapshot), 'model.py'), 'utf8')).toBe('print(1)');
    expect(await store.listSnapshots(workspace)).toEqual([snapshot]);
    await store.destroy(workspace);
    expect(await store.exists(workspace)).toBe(false);
    expect(await store.listSnapshots(workspace)).toEqual([]);
  });

  it('refuses path tricks', async () => {
    await expect(store.ensure('../etc')).rejects.toThrow(/invalid workspace name/);
    await expect(store.ensure('a/../../b')).rejects.toThrow(/invalid workspace name/);
  });
});
