import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** The file-backed dev/CI pool that ops/dev/ensure-services.sh creates. */
export const TEST_ZFS_POOL = process.env['ZFS_POOL'] ?? 'mfdev';

/** A fresh dataset root on the test pool for one test file. */
export function testZfsRoot(): string {
  return `${TEST_ZFS_POOL}/medforge/test-${randomBytes(4).toString('hex')}`;
}

/** Destroys a dataset tree, waiting out zfs-fuse's brief "dataset is busy" (bounded: 15 s). */
export function destroyZfsTree(dataset: string): void {
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      execFileSync('zfs', ['destroy', '-r', dataset], { stdio: 'pipe' });
      return;
    } catch (error) {
      if (/does not exist/.test(String((error as { stderr?: Buffer }).stderr))) return;
      execFileSync('sleep', ['0.25']);
    }
  }
  throw new Error(`could not destroy ${dataset}`);
}

/** Reads a file as it is in a snapshot (zfs-fuse has no .zfs directory: clone, read, destroy). */
export function readFromSnapshot(snapshot: string, file: string): string {
  const clone = `${TEST_ZFS_POOL}/medforge/verify-${randomBytes(4).toString('hex')}`;
  execFileSync('zfs', ['clone', snapshot, clone]);
  try {
    const mountpoint = execFileSync('zfs', ['get', '-H', '-o', 'value', 'mountpoint', clone], {
      encoding: 'utf8',
    }).trim();
    return execFileSync('cat', [path.join(mountpoint, file)], { encoding: 'utf8' });
  } finally {
    destroyZfsTree(clone);
  }
}
