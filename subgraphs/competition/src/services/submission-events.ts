import {
  announce,
  type Logger,
  type EventPublisher,
  SUBMISSION_EVENTS_CHANNEL,
  type SubmissionEvent,
} from '@medforge/shared-schema';

import type { SubmissionRow } from '../db/models/submission.model';

/**
 * Every submission state change: a structured log line and a Redis message (live status in the console,
 * leaderboard updates). Best effort; the database is the source of truth.
 */
export class SubmissionEvents {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
  ) {}

  async changed(row: SubmissionRow, competitionSlug: string, detail: Record<string, unknown> = {}): Promise<void> {
    const event: SubmissionEvent = {
      submissionId: row.id,
      userId: row.user_id,
      competitionSlug,
      status: row.status,
      at: new Date().toISOString(),
    };
    await announce(
      this.publisher,
      this.logger,
      SUBMISSION_EVENTS_CHANNEL,
      event,
      {
        event: 'submission.status',
        submission_id: row.id,
        user_id: row.user_id,
        competition: competitionSlug,
        status: row.status,
        ...detail,
      },
      `submission ${row.id} is ${row.status}`,
    );
  }
}
