import type { Migration } from '@medforge/shared-schema';

/**
 * Sessions that carry real work: a name its owner gives it; why it last counted as active (a GPU or the
 * CPU busy, SSH, a marked process, the workbench); how long its owner asked it to be kept running, and
 * its maximum-runtime deadline once that was extended. And settings administrators change at run time
 * (the notification webhook).
 */
export const sessionActivity: Migration = {
  name: '0006_session_activity',
  async up(knex) {
    await knex.schema.alterTable('sessions', (t) => {
      t.string('name', 64).nullable();
      t.string('activity_reason', 200).nullable();
      t.datetime('keep_alive_until', { precision: 3 }).nullable();
      t.datetime('runtime_limit_at', { precision: 3 }).nullable();
    });
    await knex.schema.createTable('platform_settings', (t) => {
      t.string('name', 64).primary();
      t.text('value').notNullable();
      t.uuid('updated_by').nullable();
      t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    });
  },
  async down(knex) {
    await knex.schema.dropTable('platform_settings');
    await knex.schema.alterTable('sessions', (t) => {
      t.dropColumn('name');
      t.dropColumn('activity_reason');
      t.dropColumn('keep_alive_until');
      t.dropColumn('runtime_limit_at');
    });
  },
};
