import type { Migration } from '@medforge/shared-schema';

/**
 * Snapshots as rows of their own: a user lists and deletes them, and each keeps the session that made it.
 * Earlier stop snapshots (one per session workspace) are carried over from `sessions.snapshot_name`.
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
      t.enum('reason', ['stop', 'lost']).notNullable();
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
      t.index(['user_id', 'created_at'], 'workspace_snapshots_user_created_idx');
    });
    await knex.raw(
      `INSERT INTO workspace_snapshots (id, user_id, session_id, workspace, name, reason, created_at)
       SELECT UUID(), user_id, id, workspace_zfs, snapshot_name, IF(status = 'error', 'lost', 'stop'),
              COALESCE(stopped_at, updated_at)
         FROM sessions WHERE snapshot_name IS NOT NULL`,
    );
  },
  async down(knex) {
    await knex.schema.dropTable('workspace_snapshots');
  },
};
