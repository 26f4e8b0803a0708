import { defaultMemoryMib, effectiveLimits, NO_OVERRIDES } from '../src/services/session-limits';

const GIB = 1024 ** 3;

describe('session limits', () => {
  it('shares the host memory less the reserve among the GPUs by default, never below 1 GiB', () => {
    // 8 GPUs on 1 TiB: (1024 - 8) GiB / 8 = 127 GiB each.
    expect(defaultMemoryMib('auto', { memoryBytes: 1024 * GIB, gpus: 8 }, 8)).toBe(127 * 1024);
    expect(defaultMemoryMib('auto', { memoryBytes: 24 * GIB, gpus: 7 }, 8)).toBe(Math.floor((16 * 1024) / 7));
    expect(defaultMemoryMib('auto', { memoryBytes: 8 * GIB, gpus: 4 }, 8)).toBe(1024);
    expect(defaultMemoryMib('auto', { memoryBytes: 64 * GIB, gpus: 0 }, 8)).toBe(56 * 1024);
  });

  it('takes a configured number of GiB as it is, and 0 as no limit', () => {
    expect(defaultMemoryMib(64, { memoryBytes: 1024 * GIB, gpus: 8 }, 8)).toBe(64 * 1024);
    expect(defaultMemoryMib(0, { memoryBytes: 1024 * GIB, gpus: 8 }, 8)).toBeNull();
  });

  it("lets a user's overrides win over the pack's over the defaults, with /dev/shm within the memory", () => {
    const defaults = { cpus: null, memoryMib: 8192, pids: 4096, shmMib: 4096 };
    expect(effectiveLimits(defaults, { ...NO_OVERRIDES, cpus: 8 }, { ...NO_OVERRIDES, memoryMib: 2048 })).toEqual({
      cpus: 8,
      memoryMib: 2048,
      pids: 4096,
      shmMib: 2048,
    });
  });
});
