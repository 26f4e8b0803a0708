import { randomUUID } from 'node:crypto';

import type { Knex, Logger } from '@medforge/shared-schema';

import { UserRow } from '../db/models/user.model';
import { displayNameFor, normalizeEmail, validateNewPassword } from './account-input';
import type { AuthEventSink } from '../ports/auth-event-sink';
import type { PasswordHasher } from './password-hasher';

/**
 * What only the host operator can do, because no administrator exists yet to do it through the API:
 * make an account an administrator, creating it when it does not exist.
 */
export class AdminBootstrap {
  constructor(
    private readonly knex: Knex,
    private readonly hasher: PasswordHasher,
    private readonly events: AuthEventSink,
  ) {}

  /**
   * Creates an administrator (a password is then required), or promotes an existing account (its
   * password is replaced only when one is given). Existing logins pick the new role up at once.
   */
  async ensureAdmin(
    emailInput: string,
    password: string | null,
    logger: Logger,
  ): Promise<{ user: UserRow; created: boolean }> {
    const email = normalizeEmail(emailInput);
    if (password !== null) validateNewPassword(password);
    const passwordHash = password === null ? null : await this.hasher.hash(password);
    const existing = await UserRow.query(this.knex).findOne({ email });
    if (existing) {
      await UserRow.query(this.knex)
        .findById(existing.id)
        .patch({ role: 'admin', ...(passwordHash ? { password_hash: passwordHash } : {}) } as Partial<UserRow>);
      await this.events.invalidate({ userId: existing.id });
      logger.info({ user_id: existing.id }, 'account promoted to administrator by the host operator');
      return { user: (await UserRow.query(this.knex).findById(existing.id))!, created: false };
    }
    if (passwordHash === null) {
      throw new Error(`No account ${email} exists; give a password to create it`);
    }
    const id = randomUUID();
    await UserRow.query(this.knex).insert({
      id,
      email,
      display_name: displayNameFor(null),
      password_hash: passwordHash,
      role: 'admin',
    } as Partial<UserRow>);
    logger.info({ user_id: id }, 'administrator created by the host operator');
    return { user: (await UserRow.query(this.knex).findById(id))!, created: true };
  }
}
