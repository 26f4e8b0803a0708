import { randomBytes, randomUUID } from 'node:crypto';

import {
  type Actor,
  type Clock,
  DomainError,
  hashLoginToken,
  type Knex,
  type Logger,
  Role,
  systemClock,
} from '@medforge/shared-schema';

import { AccountLinkRow } from '../db/models/account-link.model';
import { LoginSessionRow } from '../db/models/login-session.model';
import { UserRow } from '../db/models/user.model';
import { normalizeEmail, validateNewPassword } from './account-input';
import type { AuthEventSink } from '../ports/auth-event-sink';
import type { LoginLimiter } from './login-limiter';
import type { PasswordHasher } from './password-hasher';

export interface IssuedLink {
  /** The secret; the link is the console's origin plus `path`. */
  token: string;
  path: string;
  row: AccountLinkRow;
}

export interface NewInvite {
  email: string | null;
  role: Role;
  expiresInDays: number;
}

const RESET_TTL_MS = 24 * 3_600_000;
export const MAX_INVITE_DAYS = 30;
const BAD_RESET_LINK = 'This reset link is invalid, already used or expired; ask an administrator for a new one';
const BAD_INVITE = 'This invitation is invalid, already used, revoked or expired; ask an administrator for a new one';

/**
 * One-time links administrators hand over themselves (MedForge sends no mail): a password reset for one
 * account (24 hours; a new one replaces the old) and invitations to sign up (up to 30 days; for one
 * address or anyone with the link; as a user or an administrator). Each works once; trying bad links
 * counts against the client address like a failed sign-in.
 */
export class AccountLinks {
  constructor(
    private readonly knex: Knex,
    private readonly hasher: PasswordHasher,
    private readonly limiter: LoginLimiter,
    private readonly events: AuthEventSink,
    private readonly clock: Clock = systemClock,
  ) {}

  async createPasswordReset(admin: Actor, userId: string, logger: Logger): Promise<IssuedLink> {
    const user = await UserRow.query(this.knex).findById(userId);
    if (!user) throw new DomainError('NOT_FOUND', `No user with id ${userId}`);
    const issued = await this.knex.transaction(async (trx) => {
      await AccountLinkRow.query(trx)
        .where({ kind: 'password-reset', user_id: userId })
        .whereNull('used_at')
        .whereNull('revoked_at')
        .patch({ revoked_at: this.clock.now() });
      return await this.insert(trx, {
        kind: 'password-reset',
        created_by: admin.userId,
        user_id: userId,
        expires_at: new Date(this.clock.now().getTime() + RESET_TTL_MS),
      });
    });
    logger.info({ admin_id: admin.userId, user_id: userId, link_id: issued.row.id }, 'password reset link created');
    return issued;
  }

  /**
   * Sets a new password with a reset link, ends every login of the account, and returns the account so
   * the caller signs it in. The link is spent even if someone else raced to use it: exactly one wins.
   */
  async resetPassword(token: string, newPassword: string, clientIp: string | null, logger: Logger): Promise<UserRow> {
    await this.limiter.admit(clientIp, null);
    const link = await this.usable(token, 'password-reset');
    if (!link?.user_id) {
      await this.limiter.recordFailure(clientIp, null);
      throw new DomainError('BAD_USER_INPUT', BAD_RESET_LINK, { field: 'token' });
    }
    validateNewPassword(newPassword);
    const passwordHash = await this.hasher.hash(newPassword);
    const user = await this.knex.transaction(async (trx) => {
      const spent = await AccountLinkRow.query(trx)
        .findById(link.id)
        .whereNull('used_at')
        .patch({ used_at: this.clock.now(), used_by: link.user_id });
      if (spent === 0) throw new DomainError('BAD_USER_INPUT', BAD_RESET_LINK, { field: 'token' });
      const account = await UserRow.query(trx).findById(link.user_id!);
      if (!account) throw new DomainError('BAD_USER_INPUT', BAD_RESET_LINK, { field: 'token' });
      if (account.disabled_at) throw new DomainError('FORBIDDEN', 'This account is disabled; contact an administrator');
      await UserRow.query(trx)
        .findById(account.id)
        .patch({ password_hash: passwordHash, updated_at: this.clock.now() });
      await LoginSessionRow.query(trx)
        .where({ user_id: account.id })
        .whereNull('revoked_at')
        .patch({ revoked_at: this.clock.now() });
      return account;
    });
    await this.events.invalidate({ userId: user.id });
    logger.info({ user_id: user.id, link_id: link.id }, 'password reset with a link');
    return user;
  }

  async createInvite(admin: Actor, input: NewInvite, logger: Logger): Promise<IssuedLink> {
    const email = input.email === null || input.email.trim() === '' ? null : normalizeEmail(input.email);
    if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > MAX_INVITE_DAYS) {
      throw new DomainError('BAD_USER_INPUT', `expiresInDays must be 1-${MAX_INVITE_DAYS}`, { field: 'expiresInDays' });
    }
    if (email && (await UserRow.query(this.knex).findOne({ email }))) {
      throw new DomainError('CONFLICT', `${email} already has an account`, { field: 'email' });
    }
    const issued = await this.insert(this.knex, {
      kind: 'invite',
      created_by: admin.userId,
      email,
      role: input.role,
      expires_at: new Date(this.clock.now().getTime() + input.expiresInDays * 86_400_000),
    });
    logger.info({ admin_id: admin.userId, link_id: issued.row.id, role: input.role }, 'invitation created');
    return issued;
  }

  /** Invitations, newest first: open ones and those used or revoked in the last 30 days. */
  async listInvites(): Promise<AccountLinkRow[]> {
    const since = new Date(this.clock.now().getTime() - 30 * 86_400_000);
    return await AccountLinkRow.query(this.knex)
      .where({ kind: 'invite' })
      .where((q) =>
        q.where('created_at', '>', since).orWhere((open) => open.whereNull('used_at').whereNull('revoked_at')),
      )
      .orderBy([{ column: 'created_at', order: 'desc' }, 'id'])
      .limit(200);
  }

  async revokeInvite(admin: Actor, id: string, logger: Logger): Promise<AccountLinkRow> {
    const row = await AccountLinkRow.query(this.knex).findOne({ id, kind: 'invite' });
    if (!row) throw new DomainError('NOT_FOUND', `No invitation with id ${id}`);
    if (row.used_at) throw new DomainError('CONFLICT', 'This invitation was already used');
    await AccountLinkRow.query(this.knex).findById(id).whereNull('revoked_at').patch({ revoked_at: this.clock.now() });
    logger.info({ admin_id: admin.userId, link_id: id }, 'invitation revoked');
    return (await AccountLinkRow.query(this.knex).findById(id))!;
  }

  /**
   * Spends an invitation for a sign-up of `email` inside the sign-up's transaction; the role it grants.
   * (A refused sign-up counts against the client address, as every failed sign-up does.)
   */
  async acceptInvite(trx: Knex, token: string, email: string, userId: string): Promise<Role> {
    const link = await this.usable(token, 'invite', trx);
    if (!link || (link.email !== null && link.email !== email)) {
      throw new DomainError('FORBIDDEN', link ? 'This invitation is for another email address' : BAD_INVITE, {
        field: 'inviteToken',
      });
    }
    const spent = await AccountLinkRow.query(trx)
      .findById(link.id)
      .whereNull('used_at')
      .patch({ used_at: this.clock.now(), used_by: userId });
    if (spent === 0) throw new DomainError('FORBIDDEN', BAD_INVITE, { field: 'inviteToken' });
    return link.role;
  }

  private async usable(token: string, kind: AccountLinkRow['kind'], knex: Knex = this.knex) {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    return await AccountLinkRow.query(knex)
      .findOne({ token_hash: hashLoginToken(token), kind })
      .whereNull('used_at')
      .whereNull('revoked_at')
      .where('expires_at', '>', this.clock.now());
  }

  private async insert(knex: Knex, fields: Partial<AccountLinkRow>): Promise<IssuedLink> {
    const token = randomBytes(32).toString('base64url');
    const id = randomUUID();
    await AccountLinkRow.query(knex).insert({ id, token_hash: hashLoginToken(token), role: Role.USER, ...fields });
    const row = (await AccountLinkRow.query(knex).findById(id))!;
    const path = row.kind === 'invite' ? `/sign-in?invite=${token}` : `/reset-password?token=${token}`;
    return { token, path, row };
  }
}
