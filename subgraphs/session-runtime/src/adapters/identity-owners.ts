import type { ServiceClient } from '@medforge/shared-schema';

import { SessionOwnerContactDocument } from '../generated/identity-operations';
import type { OwnerDirectory } from '../ports/notification-sink';

/** A session owner's email and public name from identity, asked as the session-runtime service (@inaccessible). */
export class IdentityOwners implements OwnerDirectory {
  constructor(private readonly identity: ServiceClient) {}

  async contact(userId: string, requestId: string): Promise<{ email: string | null; displayName: string | null }> {
    const data = await this.identity.query(SessionOwnerContactDocument, { id: userId }, requestId);
    return data.sessionOwnerContact;
  }
}
