import { CONTEXT_HEADER, signContext } from '@medforge/shared-schema';

const QUERY = 'query SessionSshKeys($id: ID!) { user(id: $id) { sshKeys { publicKey } } }';
const TIMEOUT_MS = 5_000;

/** Where a session's authorized_keys come from. */
export interface SshKeySource {
  authorizedKeys(userId: string, requestId: string): Promise<string[]>;
}

/**
 * Reads a user's SSH keys from identity, acting as that user (a signed context whose actor is the
 * session owner), so identity's own self-or-admin rule applies unchanged.
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
          { requestId, actor: { userId, role: 'user', canUseInternal: false }, issuedAt: Date.now() },
          this.signingSecret,
        ),
      },
      body: JSON.stringify({ query: QUERY, variables: { id: userId } }),
    });
    const body = (await response.json()) as {
      data?: { user: { sshKeys: Array<{ publicKey: string }> } | null };
      errors?: Array<{ message: string }>;
    };
    if (!response.ok || body.errors?.length) {
      throw new Error(`identity refused the SSH keys of ${userId}: ${body.errors?.[0]?.message ?? response.status}`);
    }
    return (body.data?.user?.sshKeys ?? []).map((key) => key.publicKey);
  }
}
