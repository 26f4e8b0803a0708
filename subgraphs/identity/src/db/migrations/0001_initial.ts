import type { Migration } from '@medforge/shared-schema';

/** Accounts and cookie sessions. Only the SHA-256 of a session token is ever stored. */
export const initial: Migration = {
  name: '0001_initial',
  async up(knex) {
    await knex.schema.createTable('users', (t) => {
      t.uuid('id').primary();
      t.string('email', 254).notNullable().unique({ indexName: 'users_email_unique' });
      t.string('display_name', 64).notNullable();
      t.string('password_hash', 255).notNullable();
      t.enum('role', ['user', 'admin']).notNullable().defaultTo('user');
      t.boolean('can_use_internal').notNullable().defaultTo(false);
      t.datetime('disabled_at', { precision: 3 }).nullable();
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
      t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    });
    await knex.schema.createTable('auth_sessions', (t) => {
      t.uuid('id').primary();
      t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
      t.specificType('token_hash', 'CHAR(64)').notNullable().unique({ indexName: 'auth_sessions_token_unique' });
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
      t.datetime('expires_at', { precision: 3 }).notNullable();
      t.datetime('revoked_at', { precision: 3 }).nullable();
      t.datetime('last_seen_at', { precision: 3 }).nullable();
      t.string('ip', 45).nullable();
      t.string('user_agent', 512).nullable();
      t.index(['user_id'], 'auth_sessions_user_idx');
    });
  },
  async down(knex) {
    await knex.schema.dropTable('auth_sessions');
    await knex.schema.dropTable('users');
  },
};
