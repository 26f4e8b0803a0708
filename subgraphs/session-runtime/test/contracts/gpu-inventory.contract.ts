import type { GpuInventory } from '../../src/ports/gpu-inventory';

export interface GpuInventoryHarness {
  inventory: GpuInventory;
  /** How many GPUs this inventory's host has. */
  expected: number;
}

/**
 * What every GpuInventory answers, whatever the devices are: the GPU registry (gpu-registry.ts) keys rows
 * by index and binds sessions by UUID, so both must be unique and stable from one reading to the next.
 */
export function defineGpuInventoryContract(label: string, make: () => Promise<GpuInventoryHarness>): void {
  describe(`GpuInventory contract: ${label}`, () => {
    let h: GpuInventoryHarness;

    beforeAll(async () => {
      h = await make();
    });

    it('lists every GPU once, by index from 0, each with a UUID the runtime can bind', async () => {
      const gpus = await h.inventory.list();
      expect(gpus).toHaveLength(h.expected);
      expect(gpus.map((gpu) => gpu.index)).toEqual(Array.from({ length: h.expected }, (_, i) => i));
      expect(new Set(gpus.map((gpu) => gpu.uuid)).size).toBe(gpus.length);
      for (const gpu of gpus) {
        expect(gpu.uuid).toMatch(/^(GPU|MIG)-[0-9A-Za-z-]+$/);
        expect(gpu.name.length).toBeGreaterThan(0);
        // A real device reports its memory; a virtual one has none to report.
        if (gpu.isVirtual) expect(gpu.memoryMib).toBe(0);
        else expect(gpu.memoryMib).toBeGreaterThan(0);
      }
    });

    it('answers the same GPUs on every reading', async () => {
      expect(await h.inventory.list()).toEqual(await h.inventory.list());
    });
  });
}
