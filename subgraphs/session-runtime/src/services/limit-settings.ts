import { type Actor, DomainError, type Knex, type Logger, requireAdmin } from '@medforge/shared-schema';

import { PackRow } from '../db/models/pack.model';
import { UserSessionLimitsRow } from '../db/models/user-session-limits.model';
import {
  columnsFrom,
  effectiveLimits,
  type LimitOverrides,
  overridesFrom,
  type ResourceLimits,
  validateOverrides,
} from './session-limits';

/** Where session limits are set (packs, users; admins only) and what a new session of a user gets. */
export class LimitSettings {
  constructor(
    private readonly knex: Knex,
    private readonly defaults: ResourceLimits,
    private readonly logger: Logger,
  ) {}

  async forSession(userId: string, pack: PackRow): Promise<ResourceLimits> {
    return effectiveLimits(this.defaults, overridesFrom(pack), await this.userOverrides(userId));
  }

  async userOverrides(userId: string): Promise<LimitOverrides> {
    return overridesFrom(await UserSessionLimitsRow.query(this.knex).findById(userId));
  }

  async setForUser(actor: Actor | null, userId: string, overrides: LimitOverrides): Promise<LimitOverrides> {
    const admin = requireAdmin(actor);
    const columns = columnsFrom(validateOverrides(overrides));
    await this.knex('session_owners').insert({ user_id: userId }).onConflict('user_id').ignore();
    await this.knex('user_session_limits')
      .insert({ user_id: userId, ...columns, updated_by: admin.userId, updated_at: new Date() })
      .onConflict('user_id')
      .merge();
    this.logger.info({ admin_id: admin.userId, user_id: userId, limits: overrides }, 'user session limits set');
    return this.userOverrides(userId);
  }

  async setForPack(actor: Actor | null, packId: string, overrides: LimitOverrides): Promise<PackRow> {
    const admin = requireAdmin(actor);
    const updated = await PackRow.query(this.knex)
      .findById(packId)
      .patch(columnsFrom(validateOverrides(overrides)) as Partial<PackRow>);
    if (updated === 0) throw new DomainError('NOT_FOUND', `No pack with id ${packId}`);
    this.logger.info({ admin_id: admin.userId, pack_id: packId, limits: overrides }, 'pack session limits set');
    return (await PackRow.query(this.knex).findById(packId))!;
  }
}
