import type { SessionStatus, SubmissionStatus } from './graphql/enums';
import type { Logger } from './logger';

/** What announcing needs of Redis; tests record messages with an in-memory publisher. */
export interface EventPublisher {
  publish(channel: string, message: string): Promise<unknown>;
}

/** Session state changes, published by session-runtime on Redis and consumed by the gateway. */
export const SESSION_EVENTS_CHANNEL = 'medforge:session:events';

export interface SessionEvent {
  sessionId: string;
  userId: string;
  slug: string;
  /** The stored value (`running`); `graphqlEnumName` gives the API's name. */
  status: SessionStatus;
  /** While STARTING: the phase just entered (workspace, container, code-server). */
  startPhase?: string;
  at: string;
}

/** Submission state changes (queued, scoring, scored, failed), published by competition and its worker. */
export const SUBMISSION_EVENTS_CHANNEL = 'medforge:submission:events';

export interface SubmissionEvent {
  submissionId: string;
  userId: string;
  competitionSlug: string;
  /** The stored value (`scored`); `graphqlEnumName` gives the API's name. */
  status: SubmissionStatus;
  at: string;
}

/**
 * A new nvidia-smi reading of a physical GPU, published by session-runtime every telemetry interval; the
 * gateway's `gpuTelemetryUpdated` subscription resolves the GPU's readings for those who may see them.
 */
export const GPU_TELEMETRY_CHANNEL = 'medforge:gpu:telemetry';

export interface GpuTelemetryEvent {
  gpuIndex: number;
  /** The owner of the active session holding the GPU at the reading, or null when it is free. */
  userId: string | null;
  at: string;
}

/**
 * A state change, told twice: a structured log line and a Redis message for live consumers. Publishing
 * is best effort (the database stays the source of truth), so a failure is logged, never thrown.
 */
export async function announce(
  publisher: EventPublisher,
  logger: Logger,
  channel: string,
  event: object,
  log: Record<string, unknown>,
  message: string,
): Promise<void> {
  logger.info(log, message);
  try {
    await publisher.publish(channel, JSON.stringify(event));
  } catch (error) {
    logger.warn({ err: error, channel, ...log }, `could not publish to ${channel}`);
  }
}
