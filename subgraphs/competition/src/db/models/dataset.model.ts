import { Model } from 'objection';

export class DatasetRow extends Model {
  static override tableName = 'datasets';

  id!: string;
  slug!: string;
  title!: string;
  summary!: string;
  source!: string;
  license!: string;
  /** Markdown. */
  description!: string;
  created_at!: Date;
  updated_at!: Date;
}
