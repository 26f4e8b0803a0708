import type { ServiceClient } from '@medforge/shared-schema';

import type { SshKeySource } from '../ports/ssh-key-source';

const QUERY = 'query SessionSshKeys($id: ID!) { sessionAuthorizedKeys(userId: $id) }';

/**
 * Reads a session owner's SSH public keys from identity as the session-runtime service (a signed service
 * context, no user), through a field only that service may ask (@inaccessible, absent from the public API).
 */
export class IdentitySshKeys implements SshKeySource {
  constructor(private readonly identity: ServiceClient) {}

  async authorizedKeys(userId: string, requestId: string): Promise<string[]> {
    const data = await this.identity.query<{ sessionAuthorizedKeys: string[] }>(QUERY, { id: userId }, requestId);
    return data.sessionAuthorizedKeys;
  }
}
