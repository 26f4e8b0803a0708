import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import type { GpuDescriptor, GpuInventory } from '../ports/gpu-inventory';

const execFileAsync = promisify(execFile);

export const NVIDIA_SMI_ARGS = ['--query-gpu=index,uuid,name,memory.total', '--format=csv,noheader,nounits'] as const;

/**
 * Parses `nvidia-smi --query-gpu=index,uuid,name,memory.total --format=csv,noheader,nounits`, e.g.
 * `0, GPU-3f6c2a4e-..., NVIDIA GeForce RTX 5090, 32607`. Names may contain commas, so the name is
 * everything between the uuid and the last field.
 */
export function parseNvidiaSmiCsv(output: string): GpuDescriptor[] {
  const gpus = output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line, lineNo) => {
      const fields = line.split(',').map((f) => f.trim());
      if (fields.length < 4) throw new Error(`nvidia-smi line ${lineNo + 1} has ${fields.length} fields: ${line}`);
      const index = Number(fields[0]);
      const uuid = fields[1] ?? '';
      const memoryMib = Number(fields[fields.length - 1]);
      const name = fields.slice(2, -1).join(', ');
      if (!Number.isInteger(index) || index < 0) throw new Error(`nvidia-smi line ${lineNo + 1}: bad index`);
      if (!/^(GPU|MIG)-[0-9A-Za-z-]+$/.test(uuid)) throw new Error(`nvidia-smi line ${lineNo + 1}: bad uuid`);
      if (!Number.isFinite(memoryMib) || memoryMib <= 0) {
        throw new Error(`nvidia-smi line ${lineNo + 1}: bad memory.total`);
      }
      return { index, uuid, name, memoryMib, isVirtual: false };
    });
  const indexes = new Set(gpus.map((g) => g.index));
  if (indexes.size !== gpus.length) throw new Error('nvidia-smi reported a GPU index twice');
  return gpus;
}

export class NvidiaSmiInventory implements GpuInventory {
  constructor(private readonly binary = 'nvidia-smi') {}

  async list(): Promise<GpuDescriptor[]> {
    const { stdout } = await execFileAsync(this.binary, [...NVIDIA_SMI_ARGS], { timeout: 15_000 });
    return parseNvidiaSmiCsv(stdout);
  }
}
