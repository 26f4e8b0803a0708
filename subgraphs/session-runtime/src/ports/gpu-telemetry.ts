/** One reading of one GPU; a metric the device does not report is null. */
export interface GpuSample {
  index: number;
  at: Date;
  utilizationPercent: number | null;
  memoryUsedMib: number | null;
  memoryTotalMib: number | null;
  temperatureC: number | null;
  powerW: number | null;
}

/** Where readings of the host's GPUs come from. */
export interface GpuTelemetrySource {
  sample(): Promise<GpuSample[]>;
}
