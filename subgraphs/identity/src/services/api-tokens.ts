import { randomUUID } from 'node:crypto';

import {
  type Actor,
  API_SCOPES,
  type ApiScope,
  apiTokenPrefix,
  type Clock,
  DomainError,
  generateApiToken,
  hashLoginToken,
  type Knex,
  type Logger,
  systemClock,
} from '@medforge/shared-schema';

import { ApiTokenRow } from '../db/models/api-token.model';
import type { UserRow } from '../db/models/user.model';
import type { AuthEventSink } from '../ports/auth-event-sink';

export interface NewApiToken {
  name: string;
  scopes: readonly ApiScope[];
  /** Null: the token does not expire (until revoked). */
  expiresInDays: number | null;
}

export interface CreatedApiToken {
  /** The secret, returned this once and never stored. */
  token: string;
  row: ApiTokenRow;
}

/** What the gateway learns about a bearer token: enough to sign a request context. */
export interface ResolvedApiToken {
  apiTokenId: string;
  userId: string;
  /** The owner's role only when the token has the admin scope; otherwise user. */
  role: Actor['role'];
  canUseInternal: boolean;
  scopes: ApiScope[];
  /** A session token's session: the only one it may act on. */
  sessionId: string | null;
  expiresAt: Date | null;
}

const MAX_NAME = 64;
const MAX_TOKENS_PER_USER = 50;
export const MAX_TOKEN_DAYS = 366;
/** last_used_at is refreshed at most this often, so authenticating is not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** A session's token outlives no session: it is revoked at the stop, and expires anyway after this. */
const SESSION_TOKEN_TTL_MS = 8 * 24 * 3_600_000;

/**
 * API tokens: created by their owner (shown once, stored hashed), listed, revoked by the owner or an
 * administrator; resolved by the gateway for `Authorization: Bearer`. A revocation, or disabling the
 * owner, ends the token at once (an invalidation drops the gateway's cached authentication).
 */
export class ApiTokens {
  constructor(
    private readonly knex: Knex,
    private readonly events: AuthEventSink,
    private readonly clock: Clock = systemClock,
  ) {}

  async create(owner: UserRow, input: NewApiToken, logger: Logger): Promise<CreatedApiToken> {
    const name = input.name.normalize('NFKC').trim();
    if (name.length === 0 || name.length > MAX_NAME || /\p{C}/u.test(name)) {
      throw new DomainError('BAD_USER_INPUT', `Token name must be 1-${MAX_NAME} printable characters`, {
        field: 'name',
      });
    }
    const scopes = API_SCOPES.filter((scope) => input.scopes.includes(scope));
    if (scopes.length === 0) {
      throw new DomainError('BAD_USER_INPUT', `Give the token at least one scope (${API_SCOPES.join(', ')})`, {
        field: 'scopes',
      });
    }
    if (scopes.includes('admin') && owner.role !== 'admin') {
      throw new DomainError('FORBIDDEN', 'Only administrators can create tokens with the admin scope', {
        field: 'scopes',
      });
    }
    const days = input.expiresInDays;
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS)) {
      throw new DomainError('BAD_USER_INPUT', `expiresInDays must be 1-${MAX_TOKEN_DAYS}, or none for no expiry`, {
        field: 'expiresInDays',
      });
    }
    const created = await this.knex.transaction(async (trx) => {
      // Lock the owner's row so concurrent creates run one at a time (count check, then insert).
      await trx('users').where({ id: owner.id }).forUpdate().first('id');
      const active = await this.activeOf(owner.id, trx).whereNull('session_id').resultSize();
      if (active >= MAX_TOKENS_PER_USER) {
        throw new DomainError('CONFLICT', `You can have at most ${MAX_TOKENS_PER_USER} API tokens; revoke one first`);
      }
      return await this.insert(trx, {
        userId: owner.id,
        name,
        scopes,
        sessionId: null,
        expiresAt: days === null ? null : new Date(this.clock.now().getTime() + days * 86_400_000),
      });
    });
    logger.info({ user_id: owner.id, api_token_id: created.row.id, scopes }, 'API token created');
    return created;
  }

  /**
   * The token of one workbench session of `userId`, handed to the session's container: it submits and
   * keeps that session running (`medforge submit`, `medforge keepalive`), and acts on no other session.
   */
  async createForSession(userId: string, sessionId: string, logger: Logger): Promise<CreatedApiToken> {
    const created = await this.insert(this.knex, {
      userId,
      name: `session ${sessionId.slice(0, 8)}`,
      scopes: ['submit', 'keepalive'],
      sessionId,
      expiresAt: new Date(this.clock.now().getTime() + SESSION_TOKEN_TTL_MS),
    });
    logger.info({ user_id: userId, api_token_id: created.row.id, session_id: sessionId }, 'session token created');
    return created;
  }

  /** Revokes the tokens of one session (at its stop); repeating it is harmless. */
  async revokeForSession(sessionId: string, logger: Logger): Promise<number> {
    const rows = await ApiTokenRow.query(this.knex).where({ session_id: sessionId }).whereNull('revoked_at');
    for (const row of rows) await this.revokeRow(row);
    if (rows.length > 0) logger.info({ session_id: sessionId, revoked: rows.length }, 'session tokens revoked');
    return rows.length;
  }

  /** Revokes the token with this secret, if it exists (the CLI replacing its stored token). */
  async revokeSecret(token: string): Promise<boolean> {
    const row = await ApiTokenRow.query(this.knex).findOne({ token_hash: hashLoginToken(token) });
    if (!row || row.revoked_at) return false;
    await this.revokeRow(row);
    return true;
  }

  /** A user's tokens that still work, newest first; `includeSessions` adds their sessions' tokens. */
  async listOf(userId: string, includeSessions = false): Promise<ApiTokenRow[]> {
    const query = this.activeOf(userId, this.knex).orderBy([{ column: 'created_at', order: 'desc' }, 'id']);
    return await (includeSessions ? query : query.whereNull('session_id'));
  }

  /** Admin: every token that still works (or one user's), newest first. */
  async listAll(userId: string | null, limit: number, offset: number): Promise<{ rows: ApiTokenRow[]; total: number }> {
    const filtered = () => this.activeOf(userId, this.knex);
    const [rows, total] = await Promise.all([
      filtered()
        .orderBy([{ column: 'created_at', order: 'desc' }, 'id'])
        .limit(limit)
        .offset(offset),
      filtered().resultSize(),
    ]);
    return { rows, total };
  }

  /**
   * The owner or an administrator revokes a token; NOT_FOUND for anyone else's (nothing is revealed). A
   * request made with a token may revoke that token itself, others only under the ADMIN scope: the
   * submit-only token in every session's environment must not be able to end its owner's integrations.
   */
  async revoke(actor: Actor, id: string, logger: Logger): Promise<ApiTokenRow> {
    const row = await ApiTokenRow.query(this.knex).findById(id);
    if (!row || (row.user_id !== actor.userId && actor.role !== 'admin')) {
      throw new DomainError('NOT_FOUND', `No API token with id ${id}`);
    }
    if (actor.scopes && !actor.scopes.includes('admin') && id !== actor.apiTokenId) {
      throw new DomainError(
        'FORBIDDEN',
        'An API token may revoke only itself; revoke other tokens from the console, or with a token that has the ADMIN scope',
      );
    }
    if (!row.revoked_at) await this.revokeRow(row);
    logger.info({ user_id: row.user_id, api_token_id: row.id, by: actor.userId }, 'API token revoked');
    return (await ApiTokenRow.query(this.knex).findById(id))!;
  }

  async resolve(tokenHash: string): Promise<ResolvedApiToken | null> {
    if (!/^[0-9a-f]{64}$/.test(tokenHash)) return null;
    const row = (await this.knex('api_tokens as t')
      .join('users as u', 'u.id', 't.user_id')
      .where('t.token_hash', tokenHash)
      .whereNull('t.revoked_at')
      .whereNull('u.disabled_at')
      .where((q) => q.whereNull('t.expires_at').orWhere('t.expires_at', '>', this.clock.now()))
      .first(
        't.id',
        't.user_id',
        't.scopes',
        't.session_id',
        't.expires_at',
        't.last_used_at',
        'u.role',
        'u.can_use_internal',
      )) as
      | {
          id: string;
          user_id: string;
          scopes: string;
          session_id: string | null;
          expires_at: Date | null;
          last_used_at: Date | null;
          role: Actor['role'];
          can_use_internal: boolean;
        }
      | undefined;
    if (!row) return null;
    if (!row.last_used_at || this.clock.now().getTime() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.knex('api_tokens').where({ id: row.id }).update({ last_used_at: this.clock.now() });
    }
    const scopes = row.scopes.split(',') as ApiScope[];
    return {
      apiTokenId: row.id,
      userId: row.user_id,
      role: row.role === 'admin' && scopes.includes('admin') ? 'admin' : 'user',
      canUseInternal: Boolean(row.can_use_internal),
      scopes,
      sessionId: row.session_id,
      expiresAt: row.expires_at,
    };
  }

  /** Tokens that still work: not revoked, not expired (of one user, or of everyone). */
  private activeOf(userId: string | null, knex: Knex) {
    const query = ApiTokenRow.query(knex)
      .whereNull('revoked_at')
      .where((q) => q.whereNull('expires_at').orWhere('expires_at', '>', this.clock.now()));
    return userId ? query.where({ user_id: userId }) : query;
  }

  private async insert(
    knex: Knex,
    input: {
      userId: string;
      name: string;
      scopes: readonly ApiScope[];
      sessionId: string | null;
      expiresAt: Date | null;
    },
  ): Promise<CreatedApiToken> {
    const token = generateApiToken(input.sessionId ? 'ses' : 'pat');
    const id = randomUUID();
    await ApiTokenRow.query(knex).insert({
      id,
      user_id: input.userId,
      name: input.name,
      token_hash: hashLoginToken(token),
      prefix: apiTokenPrefix(token),
      scopes: input.scopes.join(','),
      session_id: input.sessionId,
      expires_at: input.expiresAt,
    });
    return { token, row: (await ApiTokenRow.query(knex).findById(id))! };
  }

  private async revokeRow(row: ApiTokenRow): Promise<void> {
    await ApiTokenRow.query(this.knex).findById(row.id).whereNull('revoked_at').patch({ revoked_at: this.clock.now() });
    await this.events.invalidate({ userId: row.user_id, apiTokenId: row.id });
  }
}
