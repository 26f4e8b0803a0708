/** Where a session's authorized_keys come from (identity, in production). */
export interface SshKeySource {
  authorizedKeys(userId: string, requestId: string): Promise<string[]>;
}
