import type { Migration } from '@medforge/shared-schema';

/**
 * One-time links an administrator hands over (no mail server is needed): a password reset for one
 * account, or an invitation to sign up (optionally for one email, optionally as an administrator). Stored
 * by the SHA-256 of the secret in the link.
 *
 * Also: display names are public (leaderboards), and until now defaulted to the email's local part. Names
 * that are still exactly that default become a neutral `participant-<6 hex>`; people can set their own
 * on the Account page.
 */
export const accountLinks: Migration = {
  name: '0005_account_links',
  async up(knex) {
    await knex.schema.createTable('account_links', (t) => {
      t.uuid('id').primary();
      t.enum('kind', ['password-reset', 'invite']).notNullable();
      t.specificType('token_hash', 'CHAR(64)').notNullable().unique('account_links_token_hash_unique');
      t.uuid('created_by').notNullable().references('users.id').onDelete('CASCADE');
      t.uuid('user_id').nullable().references('users.id').onDelete('CASCADE');
      t.string('email', 254).nullable();
      t.enum('role', ['user', 'admin']).notNullable().defaultTo('user');
      t.datetime('expires_at', { precision: 3 }).notNullable();
      t.datetime('used_at', { precision: 3 }).nullable();
      t.uuid('used_by').nullable();
      t.datetime('revoked_at', { precision: 3 }).nullable();
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
      t.index(['kind', 'created_at'], 'account_links_kind_index');
    });
    await knex.raw(
      `UPDATE users SET display_name = CONCAT('participant-', LEFT(REPLACE(id, '-', ''), 6))
       WHERE display_name = SUBSTRING_INDEX(email, '@', 1)`,
    );
  },
  async down(knex) {
    await knex.schema.dropTable('account_links');
  },
};
