import { DomainError, type Knex } from '@medforge/shared-schema';

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

  /** The competition id a list is filtered by: null without a slug, NOT_FOUND for an unknown one. */
  async competitionIdFilter(slug: string | null): Promise<string | null> {
    if (!slug) return null;
    const competition = await this.competitionBySlug(slug);
    if (!competition) throw new DomainError('NOT_FOUND', `No competition named ${slug}`);
    return competition.id;
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
