type Listener<T> = (event: T) => void;

/** Something that calls its listeners with each event. */
export interface EventSource<T> {
  /** Calls `listener` for every event until the returned function is called. */
  listen(listener: Listener<T>): () => void;
}

/** One channel's events for the whole gateway, fanned out to every subscription feed and cache in process. */
export interface EventChannel<T> extends EventSource<T> {
  /** Calls `listener` whenever the subscription was re-established: events may have been missed. */
  onReconnect(listener: () => void): void;
  shutdown(): void;
}

/**
 * Where the gateway hears what the services announce (session and submission changes, GPU readings,
 * identity's invalidations): Redis pub/sub in production (RedisEventChannels), memory in unit tests.
 * A message that is not JSON never reaches a listener.
 */
export interface EventChannels {
  open<T>(channel: string): Promise<EventChannel<T>>;
}
