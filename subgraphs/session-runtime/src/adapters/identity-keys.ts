import { CONTEXT_HEADER, signContext } from '@medforge/shared-schema';

const QUERY = 'query SessionSshKeys($id: ID!) { sessionAuthorizedKeys(userId: $id) }';
const TIMEOUT_MS = 5_000;

/** Where a session's authorized_keys come from. */
export interface SshKeySource {
  authorizedKeys(userId: string, requestId: string): Promise<string[]>;
}

/**
 * Reads a session owner's SSH public keys from identity as the session-runtime service (a signed service
 * context, no user), through a field only that service may ask (@inaccessible, absent from the public API).
 */
export class IdentitySshKeys implements SshKeySource {
  constructor(
    private readonly identityUrl: string,
    private readonly signingSecret: string,
  ) {}

  async authorizedKeys(userId: string, requestId: string): Promise<string[]> {
    const response = await fetch(this.identityUrl, {
      method: 'POST',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        [CONTEXT_HEADER]: signContext(
          { requestId, actor: null, service: 'session-runtime', issuedAt: Date.now() },
          this.signingSecret,
        ),
      },
      body: JSON.stringify({ query: QUERY, variables: { id: userId } }),
    });
    const body = (await response.json()) as {
      data?: { sessionAuthorizedKeys: string[] };
      errors?: Array<{ message: string }>;
    };
    if (!response.ok || body.errors?.length) {
      throw new Error(`identity refused the SSH keys of ${userId}: ${body.errors?.[0]?.message ?? response.status}`);
    }
    return body.data?.sessionAuthorizedKeys ?? [];
  }
}
