import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { generateHoldouts } from './generate-holdouts';
import { HOLDOUT_SLUGS, HOLDOUT_VERSION, type HoldoutManifest } from './holdout-formats';

export type HoldoutMode = 'new' | 'ensure' | 'replace';

export interface HoldoutOutcome {
  action: 'kept' | 'generated' | 'replaced';
  manifest: HoldoutManifest | null;
  /** Where the replaced holdouts went (never deleted). */
  movedAsideTo?: string;
  previousVersion?: string;
  /** Competitions whose imported (real) labels were carried over unchanged. */
  keptImported?: string[];
}

export class HoldoutsPresentError extends Error {}

/**
 * `new`: generate into a directory without holdouts (refuses otherwise); `ensure`: keep current ones,
 * replace missing or outdated ones; `replace`: replace whatever is there. Replaced holdouts are moved
 * aside (`<dir>.replaced-<time>`); labels an operator imported are real, not generated, and are carried
 * over into the new directory unchanged. The scoring worker redoes the scores the replaced ones produced
 * at its next start.
 */
export function ensureHoldouts(dir: string, mode: HoldoutMode): HoldoutOutcome {
  const target = path.resolve(dir);
  const manifestPath = path.join(target, 'manifest.json');
  const previous = existsSync(manifestPath) ? readManifest(manifestPath) : null;
  if (mode === 'ensure' && previous?.version === HOLDOUT_VERSION) return { action: 'kept', manifest: null };
  if (previous === null) return { action: 'generated', manifest: generateHoldouts(target) };
  if (mode === 'new') throw new HoldoutsPresentError(`${target} already holds holdouts (${previous.version})`);
  const movedAsideTo = `${target}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(target, movedAsideTo);
  const manifest = generateHoldouts(target);
  const keptImported: string[] = [];
  for (const slug of HOLDOUT_SLUGS) {
    const entry = previous.files?.[slug];
    if (entry?.origin !== 'imported') continue;
    copyFileSync(path.join(movedAsideTo, entry.file), path.join(target, entry.file));
    manifest.files[slug] = entry;
    keptImported.push(slug);
  }
  if (keptImported.length > 0) {
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  }
  return { action: 'replaced', manifest, movedAsideTo, previousVersion: previous.version, keptImported };
}

/** The manifest as far as it can be read: an unreadable one counts as an outdated version with no files. */
function readManifest(file: string): Pick<HoldoutManifest, 'version'> & Partial<Pick<HoldoutManifest, 'files'>> {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<HoldoutManifest>;
    return { version: String(parsed.version), files: parsed.files };
  } catch {
    return { version: 'unreadable' };
  }
}
