import { parseNvidiaSmiCsv } from '../src/adapters/nvidia-smi-inventory';
import { parseGpuInventorySpec } from '../src/adapters/gpu-inventory-spec';

// Captured format of `nvidia-smi --query-gpu=index,uuid,name,memory.total --format=csv,noheader,nounits`.
const SEVEN_RTX_5090 = [
  '0, GPU-3f6c2a4e-9b1d-4c7e-8a21-0d5e6f7a8b90, NVIDIA GeForce RTX 5090, 32607',
  '1, GPU-41a7c0de-22b3-4f18-9e6d-7c8b9a0f1e2d, NVIDIA GeForce RTX 5090, 32607',
  '2, GPU-5b8e1f20-33c4-4a29-8f7e-8d9c0b1a2f3e, NVIDIA GeForce RTX 5090, 32607',
  '3, GPU-6c9f2031-44d5-4b3a-9a8f-9e0d1c2b3a4f, NVIDIA GeForce RTX 5090, 32607',
  '4, GPU-7da03142-55e6-4c4b-8b9a-af1e2d3c4b5a, NVIDIA GeForce RTX 5090, 32607',
  '5, GPU-8eb14253-66f7-4d5c-9cab-b02f3e4d5c6b, NVIDIA GeForce RTX 5090, 32607',
  '6, GPU-9fc25364-7708-4e6d-8dbc-c1304f5e6d7c, NVIDIA GeForce RTX 5090, 32607',
  '',
].join('\n');

describe('nvidia-smi inventory parser', () => {
  it('parses the real seven-GPU host output', () => {
    const gpus = parseNvidiaSmiCsv(SEVEN_RTX_5090);
    expect(gpus).toHaveLength(7);
    expect(gpus[6]).toEqual({
      index: 6,
      uuid: 'GPU-9fc25364-7708-4e6d-8dbc-c1304f5e6d7c',
      name: 'NVIDIA GeForce RTX 5090',
      memoryMib: 32607,
      isVirtual: false,
    });
  });

  it('keeps commas inside GPU names and accepts CRLF', () => {
    const [gpu] = parseNvidiaSmiCsv('0, GPU-aa11-bb22, NVIDIA H100 80GB HBM3, PCIe, 81559\r\n');
    expect(gpu?.name).toBe('NVIDIA H100 80GB HBM3, PCIe');
    expect(gpu?.memoryMib).toBe(81559);
  });

  it.each([
    ['too few fields', '0, GPU-aa, 1024', /has 3 fields/],
    ['bad index', 'x, GPU-aa, Name, 1024', /bad index/],
    ['bad uuid', '0, not-a-uuid, Name, 1024', /bad uuid/],
    ['[N/A] memory', '0, GPU-aa, Name, [N/A]', /bad memory.total/],
    ['duplicate index', '0, GPU-aa, A, 1\n0, GPU-bb, B, 1', /index twice/],
  ])('rejects %s', (_label, output, message) => {
    expect(() => parseNvidiaSmiCsv(output)).toThrow(message);
  });

  it('returns no GPUs for empty output', () => {
    expect(parseNvidiaSmiCsv('\n')).toEqual([]);
  });
});

describe('MEDFORGE_GPUS', () => {
  it('accepts nvidia-smi and virtual:N', () => {
    expect(parseGpuInventorySpec('nvidia-smi')).toEqual({ kind: 'nvidia-smi' });
    expect(parseGpuInventorySpec('virtual:7')).toEqual({ kind: 'virtual', count: 7 });
  });

  it.each(['virtual:0', 'virtual:65', 'virtual', 'gpus:7', 'virtual:-1'])('rejects %s', (value) => {
    expect(() => parseGpuInventorySpec(value)).toThrow(/nvidia-smi.*virtual:N/);
  });
});
