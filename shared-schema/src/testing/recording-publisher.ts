import type { EventPublisher } from '../events';

/** EventPublisher that keeps what was published, in order, instead of sending it to Redis. */
export class RecordingPublisher implements EventPublisher {
  readonly messages: Array<{ channel: string; event: Record<string, unknown> }> = [];

  async publish(channel: string, message: string): Promise<number> {
    this.messages.push({ channel, event: JSON.parse(message) as Record<string, unknown> });
    return 1;
  }

  /** The statuses announced for one subject (`sessionId` or `submissionId`), in order. */
  statusesOf(id: string): string[] {
    return this.messages
      .filter((m) => m.event['sessionId'] === id || m.event['submissionId'] === id)
      .map((m) => String(m.event['status']));
  }
}
