/** Selections shared by REST routes; aliases give the REST contract its snake_case names. */
export const USER_FIELDS = `
  id email display_name: displayName role can_use_internal: canUseInternal disabled created_at: createdAt`;

export const SSH_KEY_FIELDS = `
  id name key_type: keyType fingerprint bits public_key: publicKey created_at: createdAt`;

export const API_TOKEN_FIELDS = `
  id name prefix scopes session_id: sessionId expires_at: expiresAt last_used_at: lastUsedAt
  created_at: createdAt revoked_at: revokedAt`;
