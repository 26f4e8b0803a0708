import type { GpuDescriptor, GpuInventory } from '../ports/gpu-inventory';

/**
 * For hosts without GPUs: a fixed number of devices that exist only as rows, so allocation and
 * exclusivity behave as in production while no device is bound to a container.
 */
export class VirtualGpuInventory implements GpuInventory {
  constructor(private readonly count: number) {}

  list(): Promise<GpuDescriptor[]> {
    return Promise.resolve(
      Array.from({ length: this.count }, (_, index) => ({
        index,
        uuid: `GPU-virtual-${String(index).padStart(4, '0')}`,
        name: 'MedForge virtual GPU',
        memoryMib: 0,
        isVirtual: true,
      })),
    );
  }
}
