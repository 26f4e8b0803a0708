import type { Knex } from '@medforge/shared-schema';

import { CompetitionRow } from '../db/models/competition.model';
import { DatasetRow } from '../db/models/dataset.model';

/** Read side of the competition catalog. */
export class Catalog {
  constructor(private readonly knex: Knex) {}

  async competitions(): Promise<CompetitionRow[]> {
    return await CompetitionRow.query(this.knex).where('status', 'active').orderBy('slug');
  }

  async competitionBySlug(slug: string): Promise<CompetitionRow | undefined> {
    return await CompetitionRow.query(this.knex).findOne({ slug });
  }

  async datasets(): Promise<DatasetRow[]> {
    return await DatasetRow.query(this.knex).orderBy('slug');
  }

  async datasetBySlug(slug: string): Promise<DatasetRow | undefined> {
    return await DatasetRow.query(this.knex).findOne({ slug });
  }

  async datasetsByIds(ids: readonly string[]): Promise<Map<string, DatasetRow>> {
    const rows = await DatasetRow.query(this.knex).whereIn('id', [...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  async competitionsByIds(ids: readonly string[]): Promise<Map<string, CompetitionRow>> {
    const rows = await CompetitionRow.query(this.knex).whereIn('id', [...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, r]));
  }
}
