import type { GpuTelemetrySource } from '../../src/ports/gpu-telemetry';

export interface GpuTelemetryHarness {
  source: GpuTelemetrySource;
  /** How many GPUs the host has (what its GpuInventory lists). */
  expected: number;
}

/**
 * What every GpuTelemetrySource answers: one reading per GPU of the host, keyed by the inventory's index
 * (the registry joins readings to GPU rows by it), stamped with the time of the reading, each metric a
 * finite non-negative number or null where the device cannot report it.
 */
export function defineGpuTelemetryContract(label: string, make: () => Promise<GpuTelemetryHarness>): void {
  describe(`GpuTelemetrySource contract: ${label}`, () => {
    let h: GpuTelemetryHarness;
    beforeAll(async () => {
      h = await make();
    });

    it('reads every GPU once, by index from 0, stamped with the time of the reading', async () => {
      const before = Date.now();
      const samples = await h.source.sample();
      const after = Date.now();
      expect(samples.map((s) => s.index).sort((a, b) => a - b)).toEqual(
        Array.from({ length: h.expected }, (_, i) => i),
      );
      for (const s of samples) {
        expect(s.at.getTime()).toBeGreaterThanOrEqual(before - 1_000);
        expect(s.at.getTime()).toBeLessThanOrEqual(after + 1_000);
      }
    });

    it('gives each metric as a finite non-negative number, or null where the device has none', async () => {
      for (const s of await h.source.sample()) {
        for (const value of [s.utilizationPercent, s.memoryUsedMib, s.memoryTotalMib, s.temperatureC, s.powerW]) {
          if (value !== null) expect(Number.isFinite(value) && value >= 0).toBe(true);
        }
        if (s.utilizationPercent !== null) expect(s.utilizationPercent).toBeLessThanOrEqual(100);
        if (s.memoryUsedMib !== null && s.memoryTotalMib !== null) {
          expect(s.memoryUsedMib).toBeLessThanOrEqual(s.memoryTotalMib);
        }
      }
    });

    it('reads again on every call: a later reading is stamped later', async () => {
      const first = await h.source.sample();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await h.source.sample();
      expect(second[0]!.at.getTime()).toBeGreaterThan(first[0]!.at.getTime());
    });
  });
}
