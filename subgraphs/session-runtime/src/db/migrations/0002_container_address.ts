import type { Migration } from '@medforge/shared-schema';

/**
 * The container's address on its session network, recorded when it becomes RUNNING: the routing
 * upstream for a Caddy that runs on the host rather than on the sessions network (development, tests).
 */
export const containerAddress: Migration = {
  name: '0002_container_address',
  async up(knex) {
    await knex.schema.alterTable('sessions', (t) => {
      t.string('container_ip', 45).nullable().after('container_id');
    });
  },
  async down(knex) {
    await knex.schema.alterTable('sessions', (t) => {
      t.dropColumn('container_ip');
    });
  },
};
