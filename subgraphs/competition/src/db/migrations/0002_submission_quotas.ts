import type { Migration } from '@medforge/shared-schema';

/**
 * Daily submission caps as counters: one row per competition, user and UTC day, raised by a conditional
 * `UPDATE … SET used = used + 1 WHERE used < cap` in the transaction that inserts the submission, so
 * concurrent submits can never pass the cap and need no lock beyond that row's. A submission that fails
 * gives its unit back (`counts_against_cap` goes false), which is how failed ones don't count.
 */
export const submissionQuotas: Migration = {
  name: '0002_submission_quotas',
  async up(knex) {
    await knex.schema.createTable('submission_quotas', (t) => {
      t.uuid('competition_id').notNullable().references('competitions.id');
      t.uuid('user_id').notNullable();
      t.date('day').notNullable();
      t.integer('used').unsigned().notNullable().defaultTo(0);
      t.primary(['competition_id', 'user_id', 'day']);
    });
    await knex.schema.alterTable('submissions', (t) => {
      t.boolean('counts_against_cap').notNullable().defaultTo(true).after('submitted_day');
    });
  },
  async down(knex) {
    await knex.schema.alterTable('submissions', (t) => t.dropColumn('counts_against_cap'));
    await knex.schema.dropTable('submission_quotas');
  },
};
