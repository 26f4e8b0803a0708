import {
  type Actor,
  type Clock,
  DomainError,
  type Knex,
  type Logger,
  Role,
  systemClock,
} from '@medforge/shared-schema';

import { LoginSessionRow } from '../db/models/login-session.model';
import { UserRow } from '../db/models/user.model';
import type { AuthEventSink } from '../ports/auth-event-sink';

export interface UserPage {
  users: UserRow[];
  total: number;
}

const MAX_SEARCH = 254;

/** What administrators do to accounts. Callers have already checked the actor is an admin. */
export class UserAdmin {
  constructor(
    private readonly knex: Knex,
    private readonly events: AuthEventSink,
    private readonly clock: Clock = systemClock,
  ) {}

  async list(limit: number, offset: number, search: string | null): Promise<UserPage> {
    if (search !== null && search.length > MAX_SEARCH) {
      throw new DomainError('BAD_USER_INPUT', `search must be at most ${MAX_SEARCH} characters`);
    }
    const filtered = () => {
      const query = UserRow.query(this.knex);
      if (search) {
        const pattern = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        void query.where((q) => q.where('email', 'like', pattern).orWhere('display_name', 'like', pattern));
      }
      return query;
    };
    const [users, total] = await Promise.all([
      filtered()
        .orderBy([{ column: 'created_at', order: 'asc' }, 'id'])
        .limit(limit)
        .offset(offset),
      filtered().resultSize(),
    ]);
    return { users, total };
  }

  async setInternalAccess(admin: Actor, userId: string, allowed: boolean, logger: Logger): Promise<UserRow> {
    const user = await this.patchUser(userId, { can_use_internal: allowed });
    logger.info({ admin_id: admin.userId, user_id: userId, allowed }, 'internal access changed');
    await this.events.invalidate({ userId });
    return user;
  }

  /** Disabling also ends every login of the user at once. */
  async setDisabled(admin: Actor, userId: string, disabled: boolean, logger: Logger): Promise<UserRow> {
    if (disabled && admin.userId === userId) {
      throw new DomainError('BAD_USER_INPUT', 'You cannot disable your own account');
    }
    const user = await this.knex.transaction(async (trx) => {
      const patched = await this.patchUser(userId, { disabled_at: disabled ? this.clock.now() : null }, trx);
      if (disabled) {
        await LoginSessionRow.query(trx)
          .where({ user_id: userId })
          .whereNull('revoked_at')
          .patch({ revoked_at: this.clock.now() });
      }
      return patched;
    });
    logger.info({ admin_id: admin.userId, user_id: userId, disabled }, disabled ? 'user disabled' : 'user enabled');
    await this.events.invalidate({ userId });
    return user;
  }

  /**
   * Promotes a user to administrator or makes an administrator an ordinary user again; open logins and
   * tokens get the new role at once. An administrator cannot demote themself (someone must remain).
   */
  async setRole(admin: Actor, userId: string, role: Role, logger: Logger): Promise<UserRow> {
    if (role !== Role.ADMIN && admin.userId === userId) {
      throw new DomainError('BAD_USER_INPUT', 'You cannot demote yourself; another administrator can', {
        field: 'role',
      });
    }
    const user = await this.patchUser(userId, { role });
    logger.info({ admin_id: admin.userId, user_id: userId, role }, 'role changed');
    await this.events.invalidate({ userId });
    return user;
  }

  private async patchUser(userId: string, patch: Partial<UserRow>, trx: Knex = this.knex): Promise<UserRow> {
    const updated = await UserRow.query(trx)
      .findById(userId)
      .patch({ ...patch, updated_at: this.clock.now() });
    if (updated === 0) throw new DomainError('NOT_FOUND', `No user with id ${userId}`);
    return (await UserRow.query(trx).findById(userId))!;
  }
}
