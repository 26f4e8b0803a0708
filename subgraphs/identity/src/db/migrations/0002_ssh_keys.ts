import type { Migration } from '@medforge/shared-schema';

/** SSH public keys a user authorizes for their sessions; a key is registered once per user. */
export const sshKeys: Migration = {
  name: '0002_ssh_keys',
  async up(knex) {
    await knex.schema.createTable('ssh_keys', (t) => {
      t.uuid('id').primary();
      t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
      t.string('name', 64).notNullable();
      t.string('key_type', 64).notNullable();
      t.text('public_key').notNullable();
      t.string('fingerprint', 64).notNullable();
      t.integer('bits').unsigned().nullable();
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
      t.unique(['user_id', 'fingerprint'], { indexName: 'ssh_keys_user_fingerprint_unique' });
    });
  },
  async down(knex) {
    await knex.schema.dropTable('ssh_keys');
  },
};
