import type { AuthInvalidation, SshKeysChanged } from '@medforge/shared-schema';

import type { AuthEventSink } from '../../src/ports/auth-event-sink';

/** Keeps identity's announcements in order instead of publishing them. */
export class RecordingAuthEvents implements AuthEventSink {
  readonly invalidations: AuthInvalidation[] = [];
  readonly sshKeyChanges: SshKeysChanged[] = [];

  invalidate(message: AuthInvalidation): Promise<void> {
    this.invalidations.push(message);
    return Promise.resolve();
  }

  sshKeysChanged(message: SshKeysChanged): Promise<void> {
    this.sshKeyChanges.push(message);
    return Promise.resolve();
  }
}
