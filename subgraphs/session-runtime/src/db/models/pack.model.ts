import { Model } from 'objection';

export class PackRow extends Model {
  static override tableName = 'packs';

  id!: string;
  name!: string;
  description!: string;
  image_ref!: string;
  is_default!: boolean;
  created_at!: Date;
  deprecated_at!: Date | null;
}
