import type { ServiceClient } from '@medforge/shared-schema';

import { SessionSshKeysDocument } from '../generated/identity-operations';
import type { SshKeySource } from '../ports/ssh-key-source';

/**
 * Reads a session owner's SSH public keys from identity as the session-runtime service (a signed service
 * context, no user), through a field only that service may ask (identity-operations.graphql).
 */
export class IdentitySshKeys implements SshKeySource {
  constructor(private readonly identity: ServiceClient) {}

  async authorizedKeys(userId: string, requestId: string): Promise<string[]> {
    const data = await this.identity.query(SessionSshKeysDocument, { id: userId }, requestId);
    return data.sessionAuthorizedKeys;
  }
}
