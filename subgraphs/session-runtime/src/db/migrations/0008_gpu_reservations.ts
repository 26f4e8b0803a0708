import type { Migration } from '@medforge/shared-schema';

/**
 * GPU reservations: a GPU (or any GPU: gpu_id NULL) booked for one or more users over a window, requested
 * by a user and approved by an administrator, or booked by one directly. A session of someone else on a
 * reserved GPU is stopped when the window opens (stop reason `reservation`, warned like the others).
 */
export const gpuReservations: Migration = {
  name: '0008_gpu_reservations',
  async up(knex) {
    await knex.schema.createTable('gpu_reservations', (t) => {
      t.uuid('id').primary();
      t.integer('gpu_id').unsigned().nullable().references('gpu_devices.id');
      t.datetime('starts_at', { precision: 3 }).notNullable();
      t.datetime('ends_at', { precision: 3 }).notNullable();
      t.enum('status', ['requested', 'approved', 'rejected', 'cancelled']).notNullable();
      t.string('note', 200).notNullable().defaultTo('');
      t.uuid('requested_by').notNullable();
      t.uuid('decided_by').nullable();
      t.datetime('decided_at', { precision: 3 }).nullable();
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
      t.index(['status', 'ends_at'], 'gpu_reservations_status_ends_idx');
    });
    await knex.schema.createTable('gpu_reservation_users', (t) => {
      t.uuid('reservation_id').notNullable().references('gpu_reservations.id').onDelete('CASCADE');
      t.uuid('user_id').notNullable();
      t.primary(['reservation_id', 'user_id']);
      t.index(['user_id'], 'gpu_reservation_users_user_idx');
    });
    await knex.raw(
      `ALTER TABLE sessions
         MODIFY stop_reason ENUM('user','admin','idle','max-runtime','left-queue','reservation') NULL,
         MODIFY stop_scheduled_reason ENUM('idle','max-runtime','reservation') NULL`,
    );
  },
  async down(knex) {
    await knex('sessions').where({ stop_reason: 'reservation' }).update({ stop_reason: 'admin' });
    await knex('sessions').where({ stop_scheduled_reason: 'reservation' }).update({ stop_scheduled_reason: null });
    await knex.raw(
      `ALTER TABLE sessions
         MODIFY stop_reason ENUM('user','admin','idle','max-runtime','left-queue') NULL,
         MODIFY stop_scheduled_reason ENUM('idle','max-runtime') NULL`,
    );
    await knex.schema.dropTable('gpu_reservation_users');
    await knex.schema.dropTable('gpu_reservations');
  },
};
