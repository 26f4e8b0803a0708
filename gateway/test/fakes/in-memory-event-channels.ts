import type { EventChannel, EventChannels } from '../../src/events/event-channels';

/**
 * Channels in this process: `publish` sends a message as a service would (a JSON string), `reconnect`
 * tells listeners their subscription came back, as Redis's does after a lost connection.
 */
export class InMemoryEventChannels implements EventChannels {
  private readonly open_ = new Map<string, Set<InMemoryEventChannel<unknown>>>();

  open<T>(channel: string): Promise<EventChannel<T>> {
    const members = this.open_.get(channel) ?? new Set();
    this.open_.set(channel, members);
    const opened = new InMemoryEventChannel<T>(() => members.delete(opened as InMemoryEventChannel<unknown>));
    members.add(opened as InMemoryEventChannel<unknown>);
    return Promise.resolve(opened);
  }

  /** Resolves once every open channel has had the message, like Redis's PUBLISH answer. */
  publish(channel: string, message: string): Promise<number> {
    const members = [...(this.open_.get(channel) ?? [])];
    for (const member of members) member.deliver(message);
    return Promise.resolve(members.length);
  }

  reconnect(channel: string): void {
    for (const member of this.open_.get(channel) ?? []) member.reconnected();
  }
}

class InMemoryEventChannel<T> implements EventChannel<T> {
  private readonly listeners = new Set<(event: T) => void>();
  private readonly reconnectListeners = new Set<() => void>();

  constructor(private readonly close: () => void) {}

  deliver(message: string): void {
    let event: T;
    try {
      event = JSON.parse(message) as T;
    } catch {
      return;
    }
    for (const listener of [...this.listeners]) listener(event);
  }

  reconnected(): void {
    for (const listener of [...this.reconnectListeners]) listener();
  }

  listen(listener: (event: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.add(listener);
  }

  shutdown(): void {
    this.listeners.clear();
    this.reconnectListeners.clear();
    this.close();
  }
}
