import { randomUUID } from 'node:crypto';

import { DomainError, type Knex } from '@medforge/shared-schema';

import { SshKeyRow } from '../db/models/ssh-key.model';
import { parseSshPublicKey } from './ssh-public-key';

const MAX_KEYS_PER_USER = 20;
const MAX_NAME = 64;

/** A user's SSH public keys, installed into their sessions' authorized_keys (running ones too). */
export class SshKeys {
  constructor(
    private readonly knex: Knex,
    /** Told after every change, so running sessions get the new set. */
    private readonly changed: (userId: string) => Promise<void> = async () => undefined,
  ) {}

  async list(userId: string): Promise<SshKeyRow[]> {
    return await SshKeyRow.query(this.knex)
      .where({ user_id: userId })
      .orderBy([{ column: 'created_at' }, 'id']);
  }

  async add(userId: string, name: string, publicKey: string): Promise<SshKeyRow> {
    const label = name.normalize('NFKC').trim();
    if (label.length === 0 || label.length > MAX_NAME || /\p{C}/u.test(label)) {
      throw new DomainError('BAD_USER_INPUT', `Key name must be 1-${MAX_NAME} printable characters`, { field: 'name' });
    }
    const parsed = parseSshPublicKey(publicKey);
    const added = await this.knex.transaction(async (trx) => {
      // Lock the user's row so concurrent adds for one user run one at a time (count check, then insert).
      await trx('users').where({ id: userId }).forUpdate().first('id');
      const existing = await SshKeyRow.query(trx).where({ user_id: userId }).select('fingerprint');
      if (existing.some((k) => k.fingerprint === parsed.fingerprint)) {
        throw new DomainError('CONFLICT', `This key (${parsed.fingerprint}) is already registered`, {
          field: 'publicKey',
        });
      }
      if (existing.length >= MAX_KEYS_PER_USER) {
        throw new DomainError('CONFLICT', `You can register at most ${MAX_KEYS_PER_USER} SSH keys; delete one first`);
      }
      const id = randomUUID();
      await SshKeyRow.query(trx).insert({
        id,
        user_id: userId,
        name: label,
        key_type: parsed.type,
        public_key: parsed.comment ? `${parsed.canonical} ${parsed.comment}` : parsed.canonical,
        fingerprint: parsed.fingerprint,
        bits: parsed.bits,
      });
      return (await SshKeyRow.query(trx).findById(id))!;
    });
    await this.changed(userId);
    return added;
  }

  async remove(userId: string, keyId: string): Promise<void> {
    const deleted = await SshKeyRow.query(this.knex).where({ id: keyId, user_id: userId }).delete();
    if (deleted === 0) throw new DomainError('NOT_FOUND', `You have no SSH key with id ${keyId}`);
    await this.changed(userId);
  }
}
