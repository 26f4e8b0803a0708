import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateHoldouts } from '../src/holdouts/generate-holdouts';
import { HOLDOUT_VERSION } from '../src/holdouts/holdout-formats';
import { SeededRandom } from '../src/holdouts/seeded-random';
import { loadHoldouts } from '../src/holdouts/holdout-store';

const fresh = () => mkdtempSync(path.join(tmpdir(), 'mf-holdouts-'));

describe('holdouts', () => {
  it('are drawn from a secret made at generation: every install gets its own, nothing public reproduces them', () => {
    const [a, b] = [fresh(), fresh()];
    const [first, second] = [generateHoldouts(a), generateHoldouts(b)];
    for (const slug of ['titanic-survival', 'cifar-100-classification', 'rsna-pneumonia-detection'] as const) {
      expect(first.files[slug].sha256).not.toBe(second.files[slug].sha256);
    }
    const secret = readFileSync(path.join(a, 'secret'), 'utf8').trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(path.join(a, 'secret')).mode & 0o777).toBe(0o600);
    // Whoever holds the secret (the operator) can rebuild them exactly.
    expect(generateHoldouts(fresh(), secret).files).toEqual(first.files);
  });

  it('cannot be regenerated from anything in the repository', () => {
    const live = generateHoldouts(fresh()).files;
    // Everything public a participant could feed the generator: the old public seed scheme (the slug and
    // version, which v1 used), and secrets built from the names in the source.
    const publicGuesses = [
      createHash('sha256').update('').digest('hex'),
      createHash('sha256').update(HOLDOUT_VERSION).digest('hex'),
      createHash('sha256').update('holdouts-v1').digest('hex'),
      '0'.repeat(64),
    ];
    for (const guess of publicGuesses) {
      const regenerated = generateHoldouts(fresh(), guess).files;
      for (const slug of Object.keys(live) as Array<keyof typeof live>) {
        expect(regenerated[slug].sha256).not.toBe(live[slug].sha256);
      }
    }
    // The labels v1 drew from the slug alone are not what v2 holds either.
    const v1Titanic = new SeededRandom('holdouts-v1:titanic-survival');
    const v1Labels = Array.from({ length: 418 }, (_, i) => `${892 + i},${v1Titanic.next() < 0.38 ? 1 : 0}`);
    const dir = fresh();
    generateHoldouts(dir);
    const liveLabels = readFileSync(path.join(dir, 'titanic-survival.csv'), 'utf8').trim().split('\n').slice(1);
    const agreement = liveLabels.filter((row, i) => row === v1Labels[i]).length / liveLabels.length;
    expect(agreement).toBeLessThan(0.75); // chance agreement of two independent draws is about 0.53
  });

  it('have the real formats: 418 Titanic ids 892-1309, 10,000 CIFAR ids with 100 per label, RSNA patients', () => {
    const dir = fresh();
    generateHoldouts(dir);
    const holdouts = loadHoldouts(dir);

    const titanic = holdouts.get('titanic-survival')!;
    expect([...titanic.ids]).toEqual(Array.from({ length: 418 }, (_, i) => String(892 + i)));
    if (titanic.truth.kind !== 'labels') throw new Error('labels expected');
    expect(new Set(titanic.truth.labels.values())).toEqual(new Set(['0', '1']));

    const cifar = holdouts.get('cifar-100-classification')!;
    expect(cifar.ids.size).toBe(10_000);
    if (cifar.truth.kind !== 'labels') throw new Error('labels expected');
    const perLabel = new Map<string, number>();
    for (const label of cifar.truth.labels.values()) perLabel.set(label, (perLabel.get(label) ?? 0) + 1);
    expect(perLabel.size).toBe(100);
    expect(new Set(perLabel.values())).toEqual(new Set([100]));

    const rsna = holdouts.get('rsna-pneumonia-detection')!;
    expect(rsna.ids.size).toBe(3000);
    expect(
      [...rsna.ids].every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)),
    ).toBe(true);
    if (rsna.truth.kind !== 'boxes') throw new Error('boxes expected');
    const positives = [...rsna.truth.boxes.values()].filter((boxes) => boxes.length > 0);
    expect(positives.length / 3000).toBeGreaterThan(0.2);
    expect(positives.length / 3000).toBeLessThan(0.35);
    for (const box of positives.flat()) {
      expect(box.x + box.width).toBeLessThanOrEqual(1024);
      expect(box.y + box.height).toBeLessThanOrEqual(1024);
    }
  });

  it('refuse a tampered file, another version or a missing manifest, naming the problem', () => {
    const tampered = fresh();
    generateHoldouts(tampered);
    const titanic = path.join(tampered, 'titanic-survival.csv');
    writeFileSync(titanic, readFileSync(titanic, 'utf8').replace('892,', '892,1'));
    expect(() => loadHoldouts(tampered)).toThrow(/titanic-survival\.csv has SHA-256 [0-9a-f]{64}; the manifest says/);

    const versioned = fresh();
    generateHoldouts(versioned);
    const manifestPath = path.join(versioned, 'manifest.json');
    writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace(HOLDOUT_VERSION, 'holdouts-v0'));
    expect(() => loadHoldouts(versioned)).toThrow(/is version holdouts-v0; this scorer reads holdouts-v2/);
    // The reproducible v1 holdouts are refused with what to do instead.
    writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace('holdouts-v0', 'holdouts-v1'));
    expect(() => loadHoldouts(versioned)).toThrow(/anyone can regenerate .*npm run holdouts:generate -- --replace/);

    expect(() => loadHoldouts(path.join(fresh(), 'absent'))).toThrow(/cannot read .*manifest\.json/);
  });
});
