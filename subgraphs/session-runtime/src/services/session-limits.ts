import { DomainError } from '@medforge/shared-schema';

import type { ResourceLimits } from '../ports/container-runtime';

export type { ResourceLimits };

/** A pack's or a user's settings: each field set here wins over the level below; null leaves it. */
export type LimitOverrides = { [K in keyof ResourceLimits]: number | null };

export const NO_OVERRIDES: LimitOverrides = { cpus: null, memoryMib: null, pids: null, shmMib: null };

/** Accepted values, in the units of each field. */
const RANGES: { [K in keyof ResourceLimits]: { min: number; max: number; unit: string } } = {
  cpus: { min: 0.1, max: 1024, unit: 'CPUs' },
  memoryMib: { min: 256, max: 16 * 1024 * 1024, unit: 'MiB' },
  pids: { min: 64, max: 4_194_304, unit: 'processes' },
  shmMib: { min: 64, max: 16 * 1024 * 1024, unit: 'MiB' },
};

/**
 * The limits a session starts with: the user's overrides (set by an admin) over the pack's over the
 * installation's defaults. /dev/shm is memory: it never exceeds the memory limit.
 */
export function effectiveLimits(defaults: ResourceLimits, pack: LimitOverrides, user: LimitOverrides): ResourceLimits {
  const pick = <K extends keyof ResourceLimits>(key: K): ResourceLimits[K] =>
    (user[key] ?? pack[key] ?? defaults[key]) as ResourceLimits[K];
  const limits: ResourceLimits = {
    cpus: pick('cpus'),
    memoryMib: pick('memoryMib'),
    pids: pick('pids'),
    shmMib: pick('shmMib'),
  };
  if (limits.memoryMib !== null) limits.shmMib = Math.min(limits.shmMib, limits.memoryMib);
  return limits;
}

/** Checks overrides an admin sends: each set field within its range (BAD_USER_INPUT naming the field). */
export function validateOverrides(overrides: LimitOverrides): LimitOverrides {
  for (const key of Object.keys(RANGES) as Array<keyof ResourceLimits>) {
    const value = overrides[key];
    if (value === null) continue;
    const { min, max, unit } = RANGES[key];
    const whole = key !== 'cpus';
    if (!Number.isFinite(value) || value < min || value > max || (whole && !Number.isInteger(value))) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `${key} must be ${whole ? 'a whole number ' : ''}from ${min} to ${max} ${unit}`,
        {
          field: key,
        },
      );
    }
  }
  return overrides;
}

/** Columns ↔ overrides: packs and user_session_limits store them alike. */
export interface LimitColumns {
  cpu_limit: number | string | null;
  memory_limit_mib: number | null;
  pids_limit: number | null;
  shm_size_mib: number | null;
}

export function overridesFrom(row: LimitColumns | null | undefined): LimitOverrides {
  if (!row) return NO_OVERRIDES;
  return {
    // DECIMAL comes back from mysql2 as a string.
    cpus: row.cpu_limit === null ? null : Number(row.cpu_limit),
    memoryMib: row.memory_limit_mib,
    pids: row.pids_limit,
    shmMib: row.shm_size_mib,
  };
}

export function columnsFrom(overrides: LimitOverrides): LimitColumns {
  return {
    cpu_limit: overrides.cpus,
    memory_limit_mib: overrides.memoryMib,
    pids_limit: overrides.pids,
    shm_size_mib: overrides.shmMib,
  };
}

const MIB = 1024 * 1024;
/** The smallest memory an automatic default gives a session (code-server alone takes about 400 MiB). */
const MIN_AUTOMATIC_MIB = 1024;

/**
 * The installation's default memory limit per session: a number of GiB as configured (0: none), or
 * `auto`: the host's memory less the reserve, divided among the GPUs (each session holds one), never
 * below 1 GiB.
 */
export function defaultMemoryMib(
  setting: number | 'auto',
  host: { memoryBytes: number; gpus: number },
  reserveGib: number,
): number | null {
  if (setting !== 'auto') return setting > 0 ? Math.round(setting * 1024) : null;
  const share = (host.memoryBytes - reserveGib * 1024 * MIB) / Math.max(1, host.gpus) / MIB;
  return Math.max(MIN_AUTOMATIC_MIB, Math.floor(share));
}
