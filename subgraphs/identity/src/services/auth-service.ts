import { randomBytes, randomUUID } from 'node:crypto';

import {
  type Actor,
  type Clock,
  DomainError,
  hashLoginToken,
  type IssuedLogin,
  type Knex,
  type Logger,
  systemClock,
} from '@medforge/shared-schema';

import { UniqueViolationError } from 'objection';

import { LoginSessionRow } from '../db/models/login-session.model';
import { UserRow } from '../db/models/user.model';
import { displayNameFor, MAX_PASSWORD, normalizeEmail, validateNewPassword, validDisplayName } from './account-input';
import type { AccountLinks } from './account-links';
import type { AuthEventSink } from '../ports/auth-event-sink';
import type { LoginLimiter } from './login-limiter';
import type { PasswordHasher } from './password-hasher';

export interface SignUpInput {
  email: string;
  password: string;
  displayName?: string | null;
  /** The secret of an invitation link (required when sign-up is by invitation). */
  inviteToken?: string | null;
}

/** `open`: anyone may sign up; `invite`: only with an administrator's invitation link. */
export type SignUpMode = 'open' | 'invite';

export interface AuthResult {
  user: UserRow;
  issued: IssuedLogin;
}

/** What the gateway learns about a cookie: enough to sign a request context. */
export interface ResolvedLoginSession {
  loginSessionId: string;
  userId: string;
  role: Actor['role'];
  canUseInternal: boolean;
  expiresAt: Date;
}

/** last_seen_at is refreshed at most this often, so authenticating is not a write per request. */
const LAST_SEEN_RESOLUTION_MS = 5 * 60_000;
const BAD_CREDENTIALS = 'Email or password is incorrect';

export interface AuthCollaborators {
  hasher: PasswordHasher;
  limiter: LoginLimiter;
  events: AuthEventSink;
  links: AccountLinks;
  clock?: Clock;
}

export interface LoginPolicy {
  /** How long a login lasts (AUTH_LOGIN_TTL_HOURS). */
  loginTtlMs: number;
  signUpMode: SignUpMode;
}

/**
 * Accounts and logins: sign-up (open, or by invitation), login, logout, password and profile changes,
 * and resolving a cookie for the gateway.
 */
export class AuthService {
  private readonly hasher: PasswordHasher;
  private readonly limiter: LoginLimiter;
  private readonly events: AuthEventSink;
  private readonly links: AccountLinks;
  private readonly clock: Clock;
  private readonly loginTtlMs: number;
  readonly signUpMode: SignUpMode;

  constructor(
    private readonly knex: Knex,
    using: AuthCollaborators,
    policy: LoginPolicy,
  ) {
    this.hasher = using.hasher;
    this.limiter = using.limiter;
    this.events = using.events;
    this.links = using.links;
    this.clock = using.clock ?? systemClock;
    this.loginTtlMs = policy.loginTtlMs;
    this.signUpMode = policy.signUpMode;
  }

  async signUp(input: SignUpInput, clientIp: string | null, logger: Logger): Promise<AuthResult> {
    await this.limiter.admit(clientIp, null);
    let id: string;
    try {
      id = await this.createAccount(input);
    } catch (error) {
      // A taken email or invalid input counts against the address: it is how accounts are enumerated.
      if (error instanceof DomainError) await this.limiter.recordFailure(clientIp, null);
      throw error;
    }
    logger.info({ user_id: id }, 'account created');
    const user = await UserRow.query(this.knex).findById(id);
    return { user: user!, issued: await this.issueLogin(id, clientIp) };
  }

  private async createAccount(input: SignUpInput): Promise<string> {
    const email = normalizeEmail(input.email);
    validateNewPassword(input.password);
    const displayName = displayNameFor(input.displayName);
    const invite = input.inviteToken?.trim() || null;
    if (!invite && this.signUpMode === 'invite') {
      throw new DomainError(
        'FORBIDDEN',
        'Sign-up on this MedForge is by invitation: ask an administrator for an invitation link',
        { field: 'inviteToken' },
      );
    }
    const passwordHash = await this.hasher.hash(input.password);
    const id = randomUUID();
    try {
      await this.knex.transaction(async (trx) => {
        await UserRow.query(trx).insert({ id, email, display_name: displayName, password_hash: passwordHash });
        if (invite) {
          const role = await this.links.acceptInvite(trx, invite, email, id);
          if (role !== 'user') await UserRow.query(trx).findById(id).patch({ role });
        }
      });
    } catch (error) {
      // UNIQUE(email) decides races: of any number of concurrent sign-ups exactly one inserts.
      if (error instanceof UniqueViolationError) {
        throw new DomainError('CONFLICT', 'An account with this email already exists; sign in instead', {
          field: 'email',
        });
      }
      throw error;
    }
    return id;
  }

  async login(emailInput: string, password: string, clientIp: string | null, logger: Logger): Promise<AuthResult> {
    await this.limiter.admit(clientIp, null);
    const email = normalizeEmail(emailInput);
    await this.limiter.admit(null, email);
    if (password.length === 0 || password.length > MAX_PASSWORD) {
      await this.limiter.recordFailure(clientIp, email);
      throw new DomainError('UNAUTHENTICATED', BAD_CREDENTIALS);
    }
    const user = await UserRow.query(this.knex).findOne({ email });
    const valid = user
      ? await this.hasher.verify(password, user.password_hash)
      : await this.hasher.verifyDecoy(password);
    if (!user || !valid) {
      await this.limiter.recordFailure(clientIp, email);
      logger.info({ user_id: user?.id }, 'login failed');
      throw new DomainError('UNAUTHENTICATED', BAD_CREDENTIALS);
    }
    // Only someone who knows the password learns that the account is disabled.
    if (user.disabled_at) throw new DomainError('FORBIDDEN', 'This account is disabled; contact an administrator');
    await this.limiter.clearAccount(email);
    logger.info({ user_id: user.id }, 'login');
    return { user, issued: await this.issueLogin(user.id, clientIp) };
  }

  /** Ends the session the request authenticated with; a request without one has nothing to end. */
  async logout(actor: Actor | null): Promise<boolean> {
    if (!actor?.loginSessionId) return false;
    await LoginSessionRow.query(this.knex)
      .where({ id: actor.loginSessionId, user_id: actor.userId })
      .whereNull('revoked_at')
      .patch({ revoked_at: this.clock.now() });
    await this.events.invalidate({ userId: actor.userId, loginSessionId: actor.loginSessionId });
    return true;
  }

  async resolve(tokenHash: string): Promise<ResolvedLoginSession | null> {
    if (!/^[0-9a-f]{64}$/.test(tokenHash)) return null;
    const row = (await this.knex('login_sessions as s')
      .join('users as u', 'u.id', 's.user_id')
      .where('s.token_hash', tokenHash)
      .whereNull('s.revoked_at')
      .whereNull('u.disabled_at')
      .where('s.expires_at', '>', this.clock.now())
      .first('s.id', 's.user_id', 's.expires_at', 's.last_seen_at', 'u.role', 'u.can_use_internal')) as
      | {
          id: string;
          user_id: string;
          expires_at: Date;
          last_seen_at: Date | null;
          role: Actor['role'];
          can_use_internal: boolean;
        }
      | undefined;
    if (!row) return null;
    if (!row.last_seen_at || this.clock.now().getTime() - row.last_seen_at.getTime() > LAST_SEEN_RESOLUTION_MS) {
      await this.knex('login_sessions').where({ id: row.id }).update({ last_seen_at: this.clock.now() });
    }
    return {
      loginSessionId: row.id,
      userId: row.user_id,
      role: row.role,
      canUseInternal: Boolean(row.can_use_internal),
      expiresAt: row.expires_at,
    };
  }

  /** Changes the public name shown on leaderboards. */
  async updateProfile(actor: Actor, displayName: string, logger: Logger): Promise<UserRow> {
    const name = validDisplayName(displayName);
    await UserRow.query(this.knex).findById(actor.userId).patch({ display_name: name, updated_at: this.clock.now() });
    logger.info({ user_id: actor.userId }, 'display name changed');
    return (await UserRow.query(this.knex).findById(actor.userId))!;
  }

  /**
   * A new password, given the current one (wrong guesses count like failed sign-ins). Every other login
   * of the account ends; this one stays.
   */
  async changePassword(
    actor: Actor,
    currentPassword: string,
    newPassword: string,
    clientIp: string | null,
    logger: Logger,
  ): Promise<void> {
    const user = await UserRow.query(this.knex).findById(actor.userId);
    if (!user) throw new DomainError('UNAUTHENTICATED', 'Your account no longer exists');
    await this.limiter.admit(clientIp, user.email);
    const valid =
      currentPassword.length > 0 &&
      currentPassword.length <= MAX_PASSWORD &&
      (await this.hasher.verify(currentPassword, user.password_hash));
    if (!valid) {
      await this.limiter.recordFailure(clientIp, user.email);
      throw new DomainError('BAD_USER_INPUT', 'Your current password is not correct', { field: 'currentPassword' });
    }
    try {
      validateNewPassword(newPassword);
    } catch (error) {
      throw new DomainError('BAD_USER_INPUT', (error as Error).message, { field: 'newPassword' });
    }
    const passwordHash = await this.hasher.hash(newPassword);
    await this.knex.transaction(async (trx) => {
      await UserRow.query(trx).findById(user.id).patch({ password_hash: passwordHash, updated_at: this.clock.now() });
      await LoginSessionRow.query(trx)
        .where({ user_id: user.id })
        .whereNull('revoked_at')
        .modify((q) => (actor.loginSessionId ? q.whereNot({ id: actor.loginSessionId }) : q))
        .patch({ revoked_at: this.clock.now() });
    });
    await this.limiter.clearAccount(user.email);
    await this.events.invalidate({ userId: user.id });
    logger.info({ user_id: user.id }, 'password changed; other logins ended');
  }

  /** A login for an account that has just proved itself another way (a password reset link). */
  async signIn(user: UserRow, clientIp: string | null): Promise<AuthResult> {
    return { user, issued: await this.issueLogin(user.id, clientIp) };
  }

  private async issueLogin(userId: string, clientIp: string | null): Promise<IssuedLogin> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + this.loginTtlMs);
    await LoginSessionRow.query(this.knex).insert({
      id: randomUUID(),
      user_id: userId,
      token_hash: hashLoginToken(token),
      expires_at: expiresAt,
      ip: clientIp,
    });
    return { token, expiresAt: expiresAt.toISOString() };
  }
}
