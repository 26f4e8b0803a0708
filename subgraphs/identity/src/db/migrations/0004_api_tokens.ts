import type { Migration } from '@medforge/shared-schema';

/**
 * API tokens: personal ones people create for scripts and the CLI, and the submit-only token each
 * workbench session gets (session_id set; minted at its start, revoked at its stop). Stored by the
 * SHA-256 of the secret; `prefix` (the first characters) tells tokens apart in lists.
 */
export const apiTokens: Migration = {
  name: '0004_api_tokens',
  async up(knex) {
    await knex.schema.createTable('api_tokens', (t) => {
      t.uuid('id').primary();
      t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
      t.string('name', 64).notNullable();
      t.specificType('token_hash', 'CHAR(64)').notNullable().unique('api_tokens_token_hash_unique');
      t.string('prefix', 16).notNullable();
      t.string('scopes', 64).notNullable();
      t.uuid('session_id').nullable();
      t.datetime('expires_at', { precision: 3 }).nullable();
      t.datetime('last_used_at', { precision: 3 }).nullable();
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
      t.datetime('revoked_at', { precision: 3 }).nullable();
      t.index(['user_id', 'revoked_at'], 'api_tokens_user_index');
      t.index(['session_id'], 'api_tokens_session_index');
    });
  },
  async down(knex) {
    await knex.schema.dropTable('api_tokens');
  },
};
