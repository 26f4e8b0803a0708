import type { Migration } from '@medforge/shared-schema';

/**
 * Catalog (datasets, competitions), submissions and their scores. A score row is written once per
 * submission (UNIQUE submission_id), which is what makes scoring retries idempotent.
 */
export const initial: Migration = {
  name: '0001_initial',
  async up(knex) {
    const now = knex.raw('CURRENT_TIMESTAMP(3)');
    await knex.schema.createTable('datasets', (t) => {
      t.uuid('id').primary();
      t.string('slug', 64).notNullable().unique({ indexName: 'datasets_slug_unique' });
      t.string('title', 128).notNullable();
      t.string('summary', 512).notNullable();
      t.string('source', 255).notNullable();
      t.string('license', 128).notNullable();
      t.string('training_data_path', 255).notNullable();
      t.string('public_eval_path', 255).notNullable();
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(now);
    });
    await knex.schema.createTable('competitions', (t) => {
      t.uuid('id').primary();
      t.string('slug', 64).notNullable().unique({ indexName: 'competitions_slug_unique' });
      t.string('title', 128).notNullable();
      t.string('summary', 512).notNullable();
      t.text('description').notNullable();
      t.uuid('dataset_id').notNullable().references('datasets.id');
      t.enum('exposure', ['external', 'internal']).notNullable().defaultTo('external');
      t.enum('status', ['active', 'archived']).notNullable().defaultTo('active');
      t.enum('metric', ['accuracy', 'map_iou']).notNullable();
      t.string('metric_version', 32).notNullable();
      t.boolean('higher_is_better').notNullable().defaultTo(true);
      t.string('id_column', 64).notNullable();
      t.string('target_column', 64).notNullable();
      t.integer('expected_rows').unsigned().notNullable();
      t.integer('daily_submission_cap').unsigned().notNullable();
      t.integer('max_upload_bytes').unsigned().notNullable();
      t.string('scoring_mode', 64).notNullable().defaultTo('single_realtime_hidden');
      t.string('leaderboard_rule', 64).notNullable().defaultTo('best_per_user');
      t.string('evaluation_policy', 64).notNullable().defaultTo('canonical_test_first');
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(now);
    });
    await knex.schema.createTable('submissions', (t) => {
      t.uuid('id').primary();
      t.uuid('competition_id').notNullable().references('competitions.id');
      t.uuid('user_id').notNullable();
      t.enum('status', ['queued', 'scoring', 'scored', 'failed']).notNullable().defaultTo('queued');
      t.string('filename', 255).notNullable();
      t.string('artifact_path', 512).notNullable();
      t.specificType('artifact_sha256', 'CHAR(64)').notNullable();
      t.bigInteger('size_bytes').unsigned().notNullable();
      t.integer('row_count').unsigned().nullable();
      t.string('error_message', 1024).nullable();
      t.date('submitted_day').notNullable().comment('UTC day the submission counts against for the daily cap');
      t.integer('attempts').unsigned().notNullable().defaultTo(0);
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.datetime('scoring_started_at', { precision: 3 }).nullable();
      t.datetime('finished_at', { precision: 3 }).nullable();
      t.index(['competition_id', 'user_id', 'submitted_day'], 'submissions_cap_idx');
      t.index(['user_id', 'created_at'], 'submissions_user_idx');
      t.index(['status'], 'submissions_status_idx');
    });
    await knex.schema.createTable('submission_scores', (t) => {
      t.uuid('id').primary();
      t.uuid('submission_id').notNullable().references('submissions.id').onDelete('CASCADE');
      t.uuid('competition_id').notNullable().references('competitions.id');
      t.uuid('user_id').notNullable();
      t.double('primary_score').notNullable();
      t.json('score_components').notNullable();
      t.string('scorer_version', 32).notNullable();
      t.string('metric_version', 32).notNullable();
      t.specificType('holdout_sha256', 'CHAR(64)').notNullable();
      t.string('evaluation_split_version', 32).notNullable();
      t.datetime('submitted_at', { precision: 3 }).notNullable();
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.unique(['submission_id'], { indexName: 'submission_scores_submission_unique' });
      t.index(['competition_id', 'user_id', 'primary_score'], 'submission_scores_leaderboard_idx');
    });
  },
  async down(knex) {
    await knex.schema.dropTable('submission_scores');
    await knex.schema.dropTable('submissions');
    await knex.schema.dropTable('competitions');
    await knex.schema.dropTable('datasets');
  },
};
