import { randomUUID } from 'node:crypto';

import type { OwnerDirectory } from '../../src/ports/notification-sink';
import type { SshKeySource } from '../../src/ports/ssh-key-source';

interface Account {
  email: string;
  displayName: string;
  keys: string[];
}

/** Identity's accounts as session-runtime sees them: SSH keys and contact, kept in memory. */
export class InMemoryIdentity implements SshKeySource, OwnerDirectory {
  private readonly accounts = new Map<string, Account>();

  addUser(account: Account): string {
    const id = randomUUID();
    this.accounts.set(id, { ...account, keys: [...account.keys] });
    return id;
  }

  authorizedKeys(userId: string): Promise<string[]> {
    return Promise.resolve([...(this.accounts.get(userId)?.keys ?? [])]);
  }

  contact(userId: string): Promise<{ email: string | null; displayName: string | null }> {
    const account = this.accounts.get(userId);
    return Promise.resolve({ email: account?.email ?? null, displayName: account?.displayName ?? null });
  }
}
