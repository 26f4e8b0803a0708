import type { GpuInventory } from '../ports/gpu-inventory';
import type { GpuInventorySpec } from './gpu-inventory-spec';
import { NvidiaSmiInventory } from './nvidia-smi-inventory';
import { VirtualGpuInventory } from './virtual-gpu-inventory';

/** The inventory MEDFORGE_GPUS names: nvidia-smi on GPU hosts, virtual rows elsewhere. */
export function createGpuInventory(spec: GpuInventorySpec): GpuInventory {
  return spec.kind === 'virtual' ? new VirtualGpuInventory(spec.count) : new NvidiaSmiInventory();
}
