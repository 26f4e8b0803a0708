import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { ArtifactStore, StoredArtifact } from '../ports/artifact-store';

const SAFE_SEGMENT = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Submitted files under SUBMISSIONS_DIR/<competition>/<submission id>.csv, owner-only (0600). Writes
 * go to a temporary name first and are renamed into place, so a reader never sees half a file.
 */
export class DirectoryArtifactStore implements ArtifactStore {
  constructor(private readonly root: string) {}

  async save(competitionSlug: string, submissionId: string, bytes: Buffer): Promise<StoredArtifact> {
    if (!SAFE_SEGMENT.test(competitionSlug) || !/^[0-9a-f-]{36}$/.test(submissionId)) {
      throw new Error(`refusing artifact path for ${competitionSlug}/${submissionId}`);
    }
    const relative = path.join(competitionSlug, `${submissionId}.csv`);
    const target = path.join(this.root, relative);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const temporary = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, bytes, { mode: 0o600, flag: 'wx' });
    await rename(temporary, target);
    return { path: relative, sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length };
  }

  async read(relativePath: string): Promise<Buffer> {
    return await readFile(this.resolve(relativePath));
  }

  async remove(relativePath: string): Promise<void> {
    await rm(this.resolve(relativePath), { force: true });
  }

  private resolve(relativePath: string): string {
    const resolved = path.resolve(this.root, relativePath);
    if (!resolved.startsWith(path.resolve(this.root) + path.sep))
      throw new Error(`path outside the store: ${relativePath}`);
    return resolved;
  }
}
