import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';

import { generateHoldouts } from './generate-holdouts';
import { HOLDOUT_VERSION, type HoldoutManifest } from './holdout-formats';

export type HoldoutMode = 'new' | 'ensure' | 'replace';

export interface HoldoutOutcome {
  action: 'kept' | 'generated' | 'replaced';
  manifest: HoldoutManifest | null;
  /** Where the replaced holdouts went (never deleted). */
  movedAsideTo?: string;
  previousVersion?: string;
}

export class HoldoutsPresentError extends Error {}

/**
 * `new`: generate into a directory without holdouts (refuses otherwise); `ensure`: keep current ones,
 * replace missing or outdated ones; `replace`: replace whatever is there. Replaced holdouts are moved
 * aside (`<dir>.replaced-<time>`); the scoring worker redoes the scores they produced at its next start.
 */
export function ensureHoldouts(dir: string, mode: HoldoutMode): HoldoutOutcome {
  const target = path.resolve(dir);
  const manifestPath = path.join(target, 'manifest.json');
  const current = existsSync(manifestPath) ? manifestVersion(manifestPath) : null;
  if (mode === 'ensure' && current === HOLDOUT_VERSION) return { action: 'kept', manifest: null };
  let movedAsideTo: string | undefined;
  if (current !== null) {
    if (mode === 'new') throw new HoldoutsPresentError(`${target} already holds holdouts (${current})`);
    movedAsideTo = `${target}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(target, movedAsideTo);
  }
  const manifest = generateHoldouts(target);
  return movedAsideTo
    ? { action: 'replaced', manifest, movedAsideTo, previousVersion: current! }
    : { action: 'generated', manifest };
}

function manifestVersion(file: string): string {
  try {
    return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version);
  } catch {
    return 'unreadable';
  }
}
