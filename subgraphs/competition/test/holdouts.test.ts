import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateHoldouts } from '../src/holdouts/generate-holdouts';
import { loadHoldouts } from '../src/holdouts/holdout-store';

const fresh = () => mkdtempSync(path.join(tmpdir(), 'mf-holdouts-'));

describe('holdouts', () => {
  it('are generated deterministically, byte for byte', () => {
    const [a, b] = [generateHoldouts(fresh()), generateHoldouts(fresh())];
    expect(a).toEqual(b);
    // Pinned: a change of the generator is a new holdout version, not a silent re-draw.
    expect(a.files['titanic-survival'].rows).toBe(418);
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
    writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace('holdouts-v1', 'holdouts-v0'));
    expect(() => loadHoldouts(versioned)).toThrow(/is version holdouts-v0; this scorer reads holdouts-v1/);

    expect(() => loadHoldouts(path.join(fresh(), 'absent'))).toThrow(/cannot read .*manifest\.json/);
  });
});
