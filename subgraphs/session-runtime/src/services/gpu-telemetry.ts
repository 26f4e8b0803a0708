import type { Logger } from '@medforge/shared-schema';

import type { GpuSample, GpuTelemetrySource } from '../ports/gpu-telemetry';
import type { GpuUtilisation } from './session-reaper';

/** Told about every round of readings (session-runtime announces them for the live subscription). */
export type GpuReadingsListener = (samples: readonly GpuSample[]) => Promise<void>;

/**
 * The recent readings of each physical GPU: nvidia-smi is asked every interval (one process for all
 * GPUs), and the last `historyLength` readings per GPU are kept in memory for the session cards and the
 * admin GPU page. Without a source (virtual GPUs) there is no telemetry at all.
 */
export class GpuTelemetry implements GpuUtilisation {
  private readonly samples = new Map<number, GpuSample[]>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly source: GpuTelemetrySource | null,
    private readonly intervalMs: number,
    private readonly historyLength: number,
    private readonly logger: Logger,
    private readonly onReadings: GpuReadingsListener = async () => {},
  ) {}

  get available(): boolean {
    return this.source !== null;
  }

  start(): void {
    if (!this.source) return;
    void this.sampleOnce();
    this.timer = setInterval(() => void this.sampleOnce(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** The readings of one GPU, oldest first; [] before the first (or for an unknown index). */
  history(index: number): GpuSample[] {
    return this.samples.get(index) ?? [];
  }

  /** Mean utilisation of one GPU over its readings since `since`; null without any (or without telemetry). */
  meanUtilization(index: number, since: Date): number | null {
    const values = this.history(index)
      .filter((sample) => sample.at >= since && sample.utilizationPercent !== null)
      .map((sample) => sample.utilizationPercent!);
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
  }

  /** One reading of every GPU now (skipped while the previous one still runs). */
  sampleOnce(): Promise<void> {
    if (!this.source || this.running) return this.running ?? Promise.resolve();
    const source = this.source;
    this.running = (async () => {
      try {
        const samples = await source.sample();
        for (const sample of samples) {
          const kept = this.samples.get(sample.index) ?? [];
          kept.push(sample);
          if (kept.length > this.historyLength) kept.splice(0, kept.length - this.historyLength);
          this.samples.set(sample.index, kept);
        }
        await this.onReadings(samples);
      } catch (error) {
        this.logger.warn({ err: error }, 'GPU telemetry sample failed');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}
