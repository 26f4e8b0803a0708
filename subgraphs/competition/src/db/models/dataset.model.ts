import { Model } from 'objection';

export class DatasetRow extends Model {
  static override tableName = 'datasets';

  id!: string;
  slug!: string;
  title!: string;
  summary!: string;
  source!: string;
  license!: string;
  training_data_path!: string;
  public_eval_path!: string;
  created_at!: Date;
  updated_at!: Date;
}
