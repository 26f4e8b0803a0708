import type { Knex, Migration } from '@medforge/shared-schema';

function limitColumns(t: Knex.CreateTableBuilder | Knex.AlterTableBuilder): void {
  t.decimal('cpu_limit', 7, 2).nullable();
  t.integer('memory_limit_mib').unsigned().nullable();
  t.integer('pids_limit').unsigned().nullable();
  t.integer('shm_size_mib').unsigned().nullable();
}

/**
 * Resource limits: per pack, per user (admins' overrides), and what each session started with (JSON,
 * so an admin can see it after the pack or the user's limits change). The phase a starting session is
 * in, so the console can show where a start is. And what idle and maximum-runtime stops need.
 */
export const sessionLimits: Migration = {
  name: '0004_session_limits',
  async up(knex) {
    await knex.schema.alterTable('packs', (t) => limitColumns(t));
    await knex.schema.createTable('user_session_limits', (t) => {
      t.uuid('user_id').primary().references('session_owners.user_id');
      limitColumns(t);
      t.uuid('updated_by').notNullable();
      t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    });
    await knex.schema.alterTable('sessions', (t) => {
      t.text('resource_limits').nullable();
      t.enum('start_phase', ['allocating', 'workspace', 'container', 'code-server']).nullable();
      t.datetime('start_phase_at', { precision: 3 }).nullable();
      // Idle and maximum-runtime stops: the last activity seen, the stop announced, and why one stopped.
      t.datetime('last_activity_at', { precision: 3 }).nullable();
      t.datetime('stop_scheduled_at', { precision: 3 }).nullable();
      t.enum('stop_scheduled_reason', ['idle', 'max-runtime']).nullable();
      t.enum('stop_reason', ['user', 'admin', 'idle', 'max-runtime']).nullable();
    });
  },
  async down(knex) {
    await knex.schema.alterTable('sessions', (t) => {
      t.dropColumn('resource_limits');
      t.dropColumn('start_phase');
      t.dropColumn('start_phase_at');
      t.dropColumn('last_activity_at');
      t.dropColumn('stop_scheduled_at');
      t.dropColumn('stop_scheduled_reason');
      t.dropColumn('stop_reason');
    });
    await knex.schema.dropTable('user_session_limits');
    await knex.schema.alterTable('packs', (t) => {
      t.dropColumn('cpu_limit');
      t.dropColumn('memory_limit_mib');
      t.dropColumn('pids_limit');
      t.dropColumn('shm_size_mib');
    });
  },
};
