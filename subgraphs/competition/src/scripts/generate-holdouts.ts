import path from 'node:path';

import { generateHoldouts } from '../holdouts/generate-holdouts';

// Usage: node dist/scripts/generate-holdouts.js <dir>   (npm run holdouts:generate -- <dir>)
const dir = process.argv[2] ?? process.env['TEST_HOLDOUTS_DIR'];
if (!dir) {
  process.stderr.write('usage: generate-holdouts <dir>   (or set TEST_HOLDOUTS_DIR)\n');
  process.exit(2);
}
const manifest = generateHoldouts(path.resolve(dir));
for (const [slug, entry] of Object.entries(manifest.files)) {
  process.stdout.write(`${slug.padEnd(26)} ${String(entry.rows).padStart(6)} rows  sha256 ${entry.sha256}\n`);
}
process.stdout.write(`manifest: ${path.join(path.resolve(dir), 'manifest.json')} (${manifest.version})\n`);
