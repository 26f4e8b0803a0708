import type { Migration } from '@medforge/shared-schema';

/**
 * The installation's own id, made once: labelled on everything it creates (session containers, its claim
 * on the Docker engine's instance name), so recovery removes only what it can prove is its own, even
 * when another installation shares the engine (and, by mistake, its instance name).
 */
export const installation: Migration = {
  name: '0005_installation',
  async up(knex) {
    await knex.schema.createTable('installation', (t) => {
      // One row: the constant key makes a second insert collide instead of adding another id.
      t.tinyint('singleton').unsigned().primary();
      t.uuid('id').notNullable();
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    });
  },
  async down(knex) {
    await knex.schema.dropTable('installation');
  },
};
