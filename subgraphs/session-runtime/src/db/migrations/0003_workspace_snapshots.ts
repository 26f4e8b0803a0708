import type { Migration } from '@medforge/shared-schema';

/**
 * Homes and their snapshots. Snapshots become rows of their own (a user lists, restores and deletes
 * them; each keeps the session that made it); earlier stop snapshots are carried over from
 * `sessions.snapshot_name`. Restores are rows too, so one cut off by a crash is finished at the next
 * start, and a session can mount a snapshot read-only (`viewed_snapshot`).
 */
export const workspaceSnapshots: Migration = {
  name: '0003_workspace_snapshots',
  async up(knex) {
    await knex.schema.createTable('workspace_snapshots', (t) => {
      t.uuid('id').primary();
      t.uuid('user_id').notNullable().references('session_owners.user_id');
      t.uuid('session_id').nullable().references('sessions.id');
      t.string('workspace', 255).notNullable();
      t.string('name', 255).notNullable().unique({ indexName: 'workspace_snapshots_name_unique' });
      t.enum('reason', ['stop', 'lost', 'safety']).notNullable();
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
      t.index(['user_id', 'created_at'], 'workspace_snapshots_user_created_idx');
    });
    await knex.raw(
      `INSERT INTO workspace_snapshots (id, user_id, session_id, workspace, name, reason, created_at)
       SELECT UUID(), user_id, id, workspace_zfs, snapshot_name, IF(status = 'error', 'lost', 'stop'),
              COALESCE(stopped_at, updated_at)
         FROM sessions WHERE snapshot_name IS NOT NULL`,
    );
    await knex.schema.createTable('home_restores', (t) => {
      t.uuid('id').primary();
      t.uuid('user_id').notNullable().references('session_owners.user_id');
      t.string('workspace', 255).notNullable();
      /** The snapshot restored, by name: its row may be deleted later, the restore's record stays. */
      t.string('snapshot_name', 255).notNullable();
      t.string('safety_snapshot', 255).nullable();
      t.enum('status', ['running', 'done', 'failed']).notNullable();
      t.string('error_message', 1024).nullable();
      t.uuid('requested_by').notNullable();
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
      t.datetime('finished_at', { precision: 3 }).nullable();
      t.index(['user_id', 'status'], 'home_restores_user_status_idx');
      t.index(['status'], 'home_restores_status_idx');
    });
    await knex.schema.alterTable('sessions', (t) => {
      t.string('viewed_snapshot', 255).nullable().after('snapshot_name');
    });
  },
  async down(knex) {
    await knex.schema.alterTable('sessions', (t) => {
      t.dropColumn('viewed_snapshot');
    });
    await knex.schema.dropTable('home_restores');
    await knex.schema.dropTable('workspace_snapshots');
  },
};
