import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ensureHoldouts } from '../src/holdouts/ensure-holdouts';
import { generateHoldouts } from '../src/holdouts/generate-holdouts';
import { HOLDOUT_VERSION } from '../src/holdouts/holdout-formats';
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
  });

  it('change entirely when any one bit of the secret does (every bit keys every stream)', () => {
    const secret = randomBytes(32).toString('hex');
    const live = generateHoldouts(fresh(), secret).files;
    for (const bit of [0, 1, 37, 128, 255]) {
      const bytes = Buffer.from(secret, 'hex');
      bytes[bit >> 3]! ^= 1 << (bit & 7);
      const flipped = generateHoldouts(fresh(), bytes.toString('hex')).files;
      for (const slug of Object.keys(live) as Array<keyof typeof live>) {
        expect(flipped[slug].sha256).not.toBe(live[slug].sha256);
      }
    }
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
    expect(() => loadHoldouts(versioned)).toThrow(/is version holdouts-v0; this scorer reads holdouts-v3/);
    // The reproducible v1 and v2 holdouts are refused, each with its reason and what to do instead.
    writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace('holdouts-v0', 'holdouts-v1'));
    expect(() => loadHoldouts(versioned)).toThrow(/anyone can regenerate .*medforge datasets generate/);
    writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace('holdouts-v1', 'holdouts-v2'));
    expect(() => loadHoldouts(versioned)).toThrow(/rebuilt by brute force .*--ensure/);

    expect(() => loadHoldouts(path.join(fresh(), 'absent'))).toThrow(/cannot read .*manifest\.json/);
  });

  it('are replaced at upgrade (--ensure) when outdated, keeping labels an operator imported', () => {
    const dir = fresh();
    generateHoldouts(dir);
    const manifestPath = path.join(dir, 'manifest.json');
    // An install on v2 whose CIFAR labels are the real ones, imported.
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      version: string;
      files: Record<string, { origin?: string; sha256: string }>;
    };
    manifest.version = 'holdouts-v2';
    manifest.files['cifar-100-classification']!.origin = 'imported';
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const before = { ...manifest.files };

    const outcome = ensureHoldouts(dir, 'ensure');
    expect(outcome).toMatchObject({
      action: 'replaced',
      previousVersion: 'holdouts-v2',
      keptImported: ['cifar-100-classification'],
    });
    expect(existsSync(path.join(outcome.movedAsideTo!, 'secret'))).toBe(true);
    const after = loadHoldouts(dir);
    expect(after.get('cifar-100-classification')!.sha256).toBe(before['cifar-100-classification']!.sha256);
    expect(after.get('titanic-survival')!.sha256).not.toBe(before['titanic-survival']!.sha256);
    expect(after.get('rsna-pneumonia-detection')!.version).toBe(HOLDOUT_VERSION);
    // Current holdouts are kept as they are.
    expect(ensureHoldouts(dir, 'ensure')).toEqual({ action: 'kept', manifest: null });
  });
});
