/** Selections shared by REST routes; aliases give the REST contract its snake_case names. */
export const USER_FIELDS = `
  id email display_name: displayName role can_use_internal: canUseInternal disabled created_at: createdAt`;

export const SSH_KEY_FIELDS = `
  id name key_type: keyType fingerprint bits public_key: publicKey created_at: createdAt`;
