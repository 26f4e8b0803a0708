import {
  type EventPublisher,
  GPU_TELEMETRY_CHANNEL,
  type GpuTelemetryEvent,
  type Logger,
} from '@medforge/shared-schema';

import type { GpuSample } from '../ports/gpu-telemetry';
import type { SessionRow } from '../db/models/session.model';

/** Who holds each GPU now (GpuRegistry.holders). */
export interface GpuHolderLookup {
  holders(): Promise<Map<number, SessionRow>>;
}

/**
 * Announces each round of GPU readings on Redis, one message per GPU naming the owner of the session that
 * holds it, so the gateway can tell whom a reading concerns without asking. Not logged: a reading every
 * few seconds per GPU is not an event worth a log line; a failed publish is logged once per outage.
 */
export class GpuTelemetryEvents {
  private failing = false;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly gpus: GpuHolderLookup,
    private readonly logger: Logger,
  ) {}

  async readingsTaken(samples: readonly GpuSample[]): Promise<void> {
    if (samples.length === 0) return;
    try {
      const holders = await this.gpus.holders();
      for (const sample of samples) {
        const event: GpuTelemetryEvent = {
          gpuIndex: sample.index,
          userId: holders.get(sample.index)?.user_id ?? null,
          at: sample.at.toISOString(),
        };
        await this.publisher.publish(GPU_TELEMETRY_CHANNEL, JSON.stringify(event));
      }
      if (this.failing) this.logger.info('GPU telemetry announcements work again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn({ err: error }, 'could not announce GPU telemetry');
      this.failing = true;
    }
  }
}
