export type GpuInventorySpec = { kind: 'nvidia-smi' } | { kind: 'virtual'; count: number };

const MAX_VIRTUAL_GPUS = 64;

/** Parses MEDFORGE_GPUS: `nvidia-smi` or `virtual:N` (1..64). */
export function parseGpuInventorySpec(value: string): GpuInventorySpec {
  if (value === 'nvidia-smi') return { kind: 'nvidia-smi' };
  const match = /^virtual:(\d{1,3})$/.exec(value);
  const count = match ? Number(match[1]) : NaN;
  if (!match || count < 1 || count > MAX_VIRTUAL_GPUS) {
    throw new Error(`must be "nvidia-smi" or "virtual:N" with N from 1 to ${MAX_VIRTUAL_GPUS}`);
  }
  return { kind: 'virtual', count };
}
