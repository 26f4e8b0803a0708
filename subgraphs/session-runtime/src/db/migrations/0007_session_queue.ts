import type { Migration } from '@medforge/shared-schema';

/**
 * Waiting for a GPU: a session can be QUEUED, holding no GPU (gpu_id NULL) and no port until the
 * allocation gives it one. QUEUED is not active, so the generated gpu_active and ssh_port_active columns
 * (and their unique keys) leave it out. One row of `session_queue_lock` serialises promotions: two GPUs
 * freed at once are handed out one after the other, in queue order, never the same GPU twice.
 */
export const sessionQueue: Migration = {
  name: '0007_session_queue',
  async up(knex) {
    await knex.raw(
      `ALTER TABLE sessions
         MODIFY status ENUM('queued','starting','running','stopping','stopped','error') NOT NULL,
         MODIFY gpu_id INT UNSIGNED NULL,
         MODIFY stop_reason ENUM('user','admin','idle','max-runtime','left-queue') NULL,
         ADD COLUMN queued_at DATETIME(3) NULL`,
    );
    await knex.schema.createTable('session_queue_lock', (t) => {
      t.tinyint('id').unsigned().primary();
    });
    await knex('session_queue_lock').insert({ id: 1 });
  },
  async down(knex) {
    await knex.schema.dropTable('session_queue_lock');
    await knex('sessions').where({ status: 'queued' }).delete();
    await knex('sessions').where({ stop_reason: 'left-queue' }).update({ stop_reason: 'user' });
    await knex.raw(
      `ALTER TABLE sessions
         DROP COLUMN queued_at,
         MODIFY stop_reason ENUM('user','admin','idle','max-runtime') NULL,
         MODIFY status ENUM('starting','running','stopping','stopped','error') NOT NULL`,
    );
  },
};
