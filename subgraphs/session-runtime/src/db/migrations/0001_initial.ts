import type { Migration } from '@medforge/shared-schema';

const ACTIVE = "('starting','running','stopping')";

/**
 * Packs, GPUs and sessions. GPU exclusivity lives in the database: `gpu_active` is 1 while a session
 * is active and NULL otherwise, and UNIQUE(gpu_id, gpu_active) lets any number of finished sessions
 * share a GPU but never two active ones. Host SSH ports are made exclusive the same way.
 */
export const initial: Migration = {
  name: '0001_initial',
  async up(knex) {
    await knex.schema.createTable('packs', (t) => {
      t.uuid('id').primary();
      t.string('name', 64).notNullable().unique({ indexName: 'packs_name_unique' });
      t.string('description', 512).notNullable().defaultTo('');
      t.string('image_ref', 255).notNullable();
      t.boolean('is_default').notNullable().defaultTo(false);
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
      t.datetime('deprecated_at', { precision: 3 }).nullable();
    });
    await knex.schema.createTable('gpu_devices', (t) => {
      t.integer('id').unsigned().primary();
      t.string('uuid', 96).notNullable().unique({ indexName: 'gpu_devices_uuid_unique' });
      t.string('name', 128).notNullable();
      t.integer('memory_mib').unsigned().notNullable().defaultTo(0);
      t.boolean('enabled').notNullable().defaultTo(true);
      t.boolean('is_virtual').notNullable().defaultTo(false);
      t.boolean('present').notNullable().defaultTo(true);
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
      t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    });
    // One row per user who ever started a session: the row allocation locks (identity's tables are not ours).
    await knex.schema.createTable('session_owners', (t) => {
      t.uuid('user_id').primary();
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    });
    await knex.schema.createTable('sessions', (t) => {
      t.uuid('id').primary();
      t.uuid('user_id').notNullable().references('session_owners.user_id');
      t.enum('exposure', ['external', 'internal']).notNullable();
      t.uuid('pack_id').notNullable().references('packs.id');
      t.integer('gpu_id').unsigned().notNullable().references('gpu_devices.id');
      t.enum('status', ['starting', 'running', 'stopping', 'stopped', 'error']).notNullable();
      t.specificType('slug', 'CHAR(8)').notNullable().unique({ indexName: 'sessions_slug_unique' });
      t.string('workspace_zfs', 255).notNullable();
      t.string('container_id', 128).nullable();
      t.integer('ssh_port').unsigned().nullable();
      t.string('error_message', 1024).nullable();
      t.string('snapshot_name', 255).nullable();
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
      t.datetime('started_at', { precision: 3 }).nullable();
      t.datetime('stop_requested_at', { precision: 3 }).nullable();
      t.datetime('stopped_at', { precision: 3 }).nullable();
      t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
      t.index(['user_id', 'status'], 'sessions_user_status_idx');
      t.index(['status'], 'sessions_status_idx');
    });
    await knex.raw(
      `ALTER TABLE sessions
         ADD COLUMN gpu_active TINYINT AS (CASE WHEN status IN ${ACTIVE} THEN 1 ELSE NULL END) PERSISTENT,
         ADD COLUMN ssh_port_active INT UNSIGNED AS (CASE WHEN status IN ${ACTIVE} THEN ssh_port ELSE NULL END) PERSISTENT,
         ADD UNIQUE KEY sessions_gpu_active_unique (gpu_id, gpu_active),
         ADD UNIQUE KEY sessions_ssh_port_active_unique (ssh_port_active)`,
    );
  },
  async down(knex) {
    await knex.schema.dropTable('sessions');
    await knex.schema.dropTable('session_owners');
    await knex.schema.dropTable('gpu_devices');
    await knex.schema.dropTable('packs');
  },
};
