import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';

import { generateHoldouts } from '../holdouts/generate-holdouts';
import { HOLDOUT_VERSION } from '../holdouts/holdout-formats';

// Usage: node dist/scripts/generate-holdouts.js [--ensure | --replace] <dir>   (npm run holdouts:generate -- …)
//   (no flag)  generate into a directory that holds no holdouts yet
//   --ensure   keep current holdouts; replace missing or outdated ones (what `npm run up` runs)
//   --replace  replace whatever is there
// Replaced holdouts are moved aside (<dir>.replaced-<time>), never deleted; the scoring worker redoes the
// scores they produced at its next start.
const args = process.argv.slice(2);
const mode = args.find((a) => a.startsWith('--')) ?? null;
const dir = args.find((a) => !a.startsWith('--')) ?? process.env['TEST_HOLDOUTS_DIR'];
if (!dir || (mode !== null && mode !== '--ensure' && mode !== '--replace')) {
  process.stderr.write('usage: generate-holdouts [--ensure | --replace] <dir>   (or set TEST_HOLDOUTS_DIR)\n');
  process.exit(2);
}
const target = path.resolve(dir);
const manifestPath = path.join(target, 'manifest.json');
const current = existsSync(manifestPath) ? manifestVersion(manifestPath) : null;

if (mode === '--ensure' && current === HOLDOUT_VERSION) {
  process.stdout.write(`holdouts in ${target} are current (${HOLDOUT_VERSION})\n`);
  process.exit(0);
}
if (existsSync(manifestPath)) {
  if (mode === null) {
    process.stderr.write(`${target} already holds holdouts (${current}); pass --replace to replace them\n`);
    process.exit(1);
  }
  const aside = `${target}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(target, aside);
  process.stdout.write(`moved the ${current} holdouts aside to ${aside}\n`);
}
const manifest = generateHoldouts(target);
for (const [slug, entry] of Object.entries(manifest.files)) {
  process.stdout.write(`${slug.padEnd(26)} ${String(entry.rows).padStart(6)} rows  sha256 ${entry.sha256}\n`);
}
process.stdout.write(`manifest: ${manifestPath} (${manifest.version}); secret: ${path.join(target, 'secret')}\n`);

function manifestVersion(file: string): string {
  try {
    return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version);
  } catch {
    return 'unreadable';
  }
}
