import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import type { GpuSample, GpuTelemetrySource } from '../ports/gpu-telemetry';

const execFileAsync = promisify(execFile);

export const NVIDIA_SMI_TELEMETRY_ARGS = [
  '--query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw',
  '--format=csv,noheader,nounits',
] as const;

/** A field as nvidia-smi prints it: a number, or `[N/A]` / `[Not Supported]` / `N/A` for none. */
function metric(field: string | undefined): number | null {
  const value = Number(field?.trim());
  return field === undefined || field.trim() === '' || !Number.isFinite(value) ? null : value;
}

/**
 * Parses `nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw
 * --format=csv,noheader,nounits`: one line per GPU, e.g. `0, 87, 61234, 81559, 64, 412.56`.
 */
export function parseTelemetryCsv(output: string, at: Date): GpuSample[] {
  return output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line, lineNo) => {
      const fields = line.split(',');
      const index = Number(fields[0]);
      if (fields.length !== 6 || !Number.isInteger(index) || index < 0) {
        throw new Error(`nvidia-smi telemetry line ${lineNo + 1} is not index plus five metrics: ${line}`);
      }
      return {
        index,
        at,
        utilizationPercent: metric(fields[1]),
        memoryUsedMib: metric(fields[2]),
        memoryTotalMib: metric(fields[3]),
        temperatureC: metric(fields[4]),
        powerW: metric(fields[5]),
      };
    });
}

export class NvidiaSmiTelemetry implements GpuTelemetrySource {
  constructor(private readonly binary = 'nvidia-smi') {}

  async sample(): Promise<GpuSample[]> {
    const { stdout } = await execFileAsync(this.binary, [...NVIDIA_SMI_TELEMETRY_ARGS], { timeout: 10_000 });
    return parseTelemetryCsv(stdout, new Date());
  }
}
