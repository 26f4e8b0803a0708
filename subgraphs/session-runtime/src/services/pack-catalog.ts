import { randomUUID } from 'node:crypto';

import { DomainError, type Knex, type Logger } from '@medforge/shared-schema';
import { UniqueViolationError } from 'objection';

import { PackRow } from '../db/models/pack.model';

/** `sha256:<64 hex>` (local image id) or `repository@sha256:<64 hex>`. */
export const PINNED_IMAGE = /^([a-z0-9][a-z0-9._/-]*@)?sha256:[0-9a-f]{64}$/;

/** The session images users can pick from. */
export class PackCatalog {
  constructor(private readonly knex: Knex) {}

  async listAvailable(): Promise<PackRow[]> {
    return await PackRow.query(this.knex)
      .whereNull('deprecated_at')
      .orderBy([{ column: 'is_default', order: 'desc' }, 'name']);
  }

  async byIds(ids: readonly string[]): Promise<Map<string, PackRow>> {
    const rows = await PackRow.query(this.knex).whereIn('id', [...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Admin: registers an image as a pack; names are unique, images must be pinned by digest. */
  async add(name: string, imageRef: string, description: string): Promise<PackRow> {
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(name)) {
      throw new DomainError('BAD_USER_INPUT', 'Pack name must be 1-64 lowercase letters, digits or dashes', {
        field: 'name',
      });
    }
    if (!PINNED_IMAGE.test(imageRef)) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'Image must be pinned by digest (sha256:<id> or repository@sha256:<digest>)',
        {
          field: 'imageRef',
        },
      );
    }
    if (description.length > 512) throw new DomainError('BAD_USER_INPUT', 'Description must be at most 512 characters');
    const id = randomUUID();
    try {
      await PackRow.query(this.knex).insert({ id, name, image_ref: imageRef, description, is_default: false });
    } catch (error) {
      if (error instanceof UniqueViolationError)
        throw new DomainError('CONFLICT', `A pack named ${name} already exists`);
      throw error;
    }
    return (await PackRow.query(this.knex).findById(id))!;
  }

  /** Admin: hides a pack from new sessions (running ones keep their container); the default cannot go. */
  async deprecate(id: string): Promise<PackRow> {
    const pack = await PackRow.query(this.knex).findById(id);
    if (!pack) throw new DomainError('NOT_FOUND', `No pack with id ${id}`);
    if (pack.is_default)
      throw new DomainError('CONFLICT', 'The default pack cannot be deprecated; configure another default first');
    await PackRow.query(this.knex)
      .findById(id)
      .patch({ deprecated_at: pack.deprecated_at ?? new Date() });
    return (await PackRow.query(this.knex).findById(id))!;
  }

  /**
   * Makes the configured image the `default` pack. A changed pin replaces the image of that pack for new
   * sessions; running sessions keep the container they have.
   */
  async ensureDefault(imageRef: string, logger: Logger): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const current = await PackRow.query(trx).findOne({ name: 'default' }).forUpdate();
      if (current?.image_ref === imageRef && current.is_default) return;
      await PackRow.query(trx).patch({ is_default: false });
      if (current) {
        await PackRow.query(trx)
          .findById(current.id)
          .patch({ image_ref: imageRef, is_default: true, deprecated_at: null });
      } else {
        await PackRow.query(trx).insert({
          id: randomUUID(),
          name: 'default',
          description: 'code-server, SSH and the CUDA toolchain',
          image_ref: imageRef,
          is_default: true,
        });
      }
      logger.info({ image_ref: imageRef }, 'default pack set');
    });
  }
}
