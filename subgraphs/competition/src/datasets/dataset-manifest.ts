import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { DatasetPart } from './dataset-layout';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'medforge-dataset-v1';

export interface ManifestEntry {
  /** File name within the part's directory. */
  path: string;
  bytes: number;
  sha256: string;
}

/** One part of one dataset as it lies on disk: `<root>/<dataset>/manifest.json` beside its files. */
export interface DatasetManifest {
  format: typeof MANIFEST_FORMAT;
  dataset: string;
  part: DatasetPart;
  /** `generated` from the install's holdout secret, or `imported` from the real files by an operator. */
  origin: 'generated' | 'imported';
  /**
   * Generated data: a keyed fingerprint of the holdout secret it was drawn from (not the secret, not a
   * hash of any label), so `--ensure` notices holdouts that were replaced. Imported data: where from.
   */
  source: string;
  created_at: string;
  files: ManifestEntry[];
}

export class DatasetManifestError extends Error {
  override name = 'DatasetManifestError';
}

export function partDirectory(root: string, dataset: string): string {
  return path.join(root, dataset);
}

/** The manifest of one part, or null when that part holds no data yet. Malformed manifests throw. */
export async function readManifest(root: string, dataset: string): Promise<DatasetManifest | null> {
  const file = path.join(partDirectory(root, dataset), MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let manifest: DatasetManifest;
  try {
    manifest = JSON.parse(text) as DatasetManifest;
  } catch {
    throw new DatasetManifestError(`${file} is not valid JSON`);
  }
  if (manifest.format !== MANIFEST_FORMAT || manifest.dataset !== dataset || !Array.isArray(manifest.files)) {
    throw new DatasetManifestError(`${file} is not a ${MANIFEST_FORMAT} manifest of ${dataset}`);
  }
  for (const entry of manifest.files) {
    if (!isPlainFileName(entry.path)) throw new DatasetManifestError(`${file} lists an unsafe path ${entry.path}`);
  }
  return manifest;
}

/** A single file name: no directories, no dot files (the manifest's own name starts no entry). */
export function isPlainFileName(name: unknown): name is string {
  return typeof name === 'string' && /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/.test(name) && name !== MANIFEST_FILE;
}

export async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

export async function writeManifest(directory: string, manifest: DatasetManifest): Promise<void> {
  await writeFile(path.join(directory, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o644 });
}

/** Every file of the manifest: present, of its size and SHA-256. Returns the problems found (none: []). */
export async function verifyPart(root: string, manifest: DatasetManifest): Promise<string[]> {
  const problems: string[] = [];
  for (const entry of manifest.files) {
    const file = path.join(partDirectory(root, manifest.dataset), entry.path);
    try {
      const actual = await hashFile(file);
      if (actual.bytes !== entry.bytes)
        problems.push(`${file}: ${actual.bytes} bytes, the manifest says ${entry.bytes}`);
      else if (actual.sha256 !== entry.sha256) problems.push(`${file}: SHA-256 differs from the manifest`);
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
    }
  }
  return problems;
}

/**
 * Writes one part of a dataset whole: `fill` puts files into a staging folder beside the part and
 * returns their manifest entries; then the manifest is written, the folder opened to sessions (uid
 * 1000 reads it) and published in place of the old part. Any failure removes the staging folder and
 * leaves the old part as it was.
 */
export async function writePart(
  root: string,
  header: Pick<DatasetManifest, 'dataset' | 'part' | 'origin' | 'source'>,
  fill: (staging: string) => Promise<ManifestEntry[]>,
): Promise<ManifestEntry[]> {
  await mkdir(root, { recursive: true, mode: 0o755 });
  const staging = await mkdtemp(path.join(root, `.${header.dataset}.staging-`));
  try {
    const files = await fill(staging);
    await writeManifest(staging, {
      format: MANIFEST_FORMAT,
      ...header,
      created_at: new Date().toISOString(),
      files,
    });
    // mkdtemp makes it owner-only.
    await chmod(staging, 0o755);
    await publishPart(root, header.dataset, staging);
    return files;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Puts a fully written staging directory in place of `<root>/<dataset>` with two renames, so a session
 * or a download never sees half a dataset; the previous version is removed afterwards.
 */
export async function publishPart(root: string, dataset: string, staging: string): Promise<void> {
  const target = partDirectory(root, dataset);
  const old = path.join(root, `.${dataset}.old-${process.pid}-${Date.now()}`);
  let moved = false;
  try {
    await rename(target, old);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await rename(staging, target);
  if (moved) await rm(old, { recursive: true, force: true });
}
