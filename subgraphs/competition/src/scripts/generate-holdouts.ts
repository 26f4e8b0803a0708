import path from 'node:path';

import { ensureHoldouts, HoldoutsPresentError, type HoldoutMode } from '../holdouts/ensure-holdouts';
import { HOLDOUT_VERSION } from '../holdouts/holdout-formats';

// Usage: node dist/scripts/generate-holdouts.js [--ensure | --replace] <dir>   (npm run holdouts:generate -- …)
//   (no flag)  generate into a directory that holds no holdouts yet
//   --ensure   keep current holdouts; replace missing or outdated ones
//   --replace  replace whatever is there
// `medforge datasets generate` does this and generates the datasets drawn from the holdouts (npm run up).
const args = process.argv.slice(2);
const flag = args.find((a) => a.startsWith('--')) ?? null;
const dir = args.find((a) => !a.startsWith('--')) ?? process.env['TEST_HOLDOUTS_DIR'];
const modes: Record<string, HoldoutMode> = { '--ensure': 'ensure', '--replace': 'replace' };
if (!dir || (flag !== null && !modes[flag])) {
  process.stderr.write('usage: generate-holdouts [--ensure | --replace] <dir>   (or set TEST_HOLDOUTS_DIR)\n');
  process.exit(2);
}
try {
  const outcome = ensureHoldouts(dir, flag ? modes[flag]! : 'new');
  if (outcome.action === 'kept') {
    process.stdout.write(`holdouts in ${path.resolve(dir)} are current (${HOLDOUT_VERSION})\n`);
    process.exit(0);
  }
  if (outcome.movedAsideTo) {
    process.stdout.write(`moved the ${outcome.previousVersion} holdouts aside to ${outcome.movedAsideTo}\n`);
  }
  for (const slug of outcome.keptImported ?? []) process.stdout.write(`kept the imported labels of ${slug}\n`);
  for (const [slug, entry] of Object.entries(outcome.manifest!.files)) {
    process.stdout.write(`${slug.padEnd(26)} ${String(entry.rows).padStart(6)} rows  sha256 ${entry.sha256}\n`);
  }
  process.stdout.write(
    `manifest: ${path.resolve(dir, 'manifest.json')} (${HOLDOUT_VERSION}); secret: ${path.resolve(dir, 'secret')}\n`,
  );
} catch (error) {
  if (!(error instanceof HoldoutsPresentError)) throw error;
  process.stderr.write(`${error.message}; pass --replace to replace them\n`);
  process.exit(1);
}
