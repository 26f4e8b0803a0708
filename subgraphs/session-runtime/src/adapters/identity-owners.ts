import type { ServiceClient } from '@medforge/shared-schema';

import type { OwnerDirectory } from '../ports/notification-sink';

const QUERY = 'query SessionOwnerContact($id: ID!) { sessionOwnerContact(userId: $id) { email displayName } }';

/** A session owner's email and public name from identity, asked as the session-runtime service (@inaccessible). */
export class IdentityOwners implements OwnerDirectory {
  constructor(private readonly identity: ServiceClient) {}

  async contact(userId: string, requestId: string): Promise<{ email: string | null; displayName: string | null }> {
    const data = await this.identity.query<{
      sessionOwnerContact: { email: string | null; displayName: string | null };
    }>(QUERY, { id: userId }, requestId);
    return data.sessionOwnerContact;
  }
}
