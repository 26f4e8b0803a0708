import type { Migration } from '@medforge/shared-schema';

/**
 * Datasets became files (manifests under the training and public-eval roots): the two path columns,
 * which pointed at files nobody had, give way to a Markdown description of the data.
 */
export const datasetDescriptions: Migration = {
  name: '0004_dataset_descriptions',
  async up(knex) {
    await knex.schema.alterTable('datasets', (t) => {
      t.text('description').notNullable().defaultTo('');
      t.dropColumn('training_data_path');
      t.dropColumn('public_eval_path');
    });
  },
  async down(knex) {
    await knex.schema.alterTable('datasets', (t) => {
      t.dropColumn('description');
      t.string('training_data_path', 255).notNullable().defaultTo('');
      t.string('public_eval_path', 255).notNullable().defaultTo('');
    });
  },
};
