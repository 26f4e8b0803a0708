import { randomUUID } from 'node:crypto';

import { isApiTokenFormat } from '@medforge/shared-schema';

import type { OwnerDirectory } from '../../src/ports/notification-sink';
import type { SessionTokenIssuer } from '../../src/ports/session-tokens';
import type { SshKeySource } from '../../src/ports/ssh-key-source';

export interface IdentityPortsHarness {
  tokens: SessionTokenIssuer;
  keys: SshKeySource;
  owners: OwnerDirectory;
  /** An account that exists, with these SSH public keys; answers its id. */
  addUser(user: { email: string; displayName: string; keys: string[] }): Promise<string>;
  /** The session a token acts for now: null once it is revoked, or for a token never issued. */
  tokenSession(token: string): Promise<string | null>;
}

/** Two well-formed ed25519 public keys (identity checks what it stores). */
export const CONTRACT_KEYS = [
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGNJDWlEjPGATw9VOfV3x3mkrdSVh93tf8v3YbSCwFJA contract-1',
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl contract-2',
];

/**
 * What session-runtime asks identity (as its own service, never as the user): a session's token, the
 * owner's SSH keys and contact. Run against the in-memory identity of the unit layer and against the
 * identity subgraph over HTTP (integration-tests/test/identity-ports.test.ts).
 */
export function defineIdentityPortsContract(label: string, make: () => Promise<IdentityPortsHarness>): void {
  describe(`identity ports contract (SessionTokenIssuer, SshKeySource, OwnerDirectory): ${label}`, () => {
    let h: IdentityPortsHarness;
    let owner: string;
    const requestId = 'contract';

    beforeAll(async () => {
      h = await make();
      owner = await h.addUser({ email: `ada-${randomUUID()}@example.org`, displayName: 'Ada', keys: CONTRACT_KEYS });
    });

    it('issues each session a token of its own, in the API token format, acting for that session', async () => {
      const [one, two] = [randomUUID(), randomUUID()];
      const tokenOne = await h.tokens.issue(owner, one, requestId);
      const tokenTwo = await h.tokens.issue(owner, two, requestId);
      expect(isApiTokenFormat(tokenOne)).toBe(true);
      expect(tokenTwo).not.toBe(tokenOne);
      expect(await h.tokenSession(tokenOne)).toBe(one);
      expect(await h.tokenSession(tokenTwo)).toBe(two);
    });

    it("revokes one session's token and no other's; repeating it, or naming an unknown session, is harmless", async () => {
      const [stopped, running] = [randomUUID(), randomUUID()];
      const stoppedToken = await h.tokens.issue(owner, stopped, requestId);
      const runningToken = await h.tokens.issue(owner, running, requestId);
      await h.tokens.revoke(stopped, requestId);
      expect(await h.tokenSession(stoppedToken)).toBeNull();
      expect(await h.tokenSession(runningToken)).toBe(running);
      await h.tokens.revoke(stopped, requestId);
      await h.tokens.revoke(randomUUID(), requestId);
      expect(await h.tokenSession(runningToken)).toBe(running);
    });

    it("lists the owner's SSH public keys, and none for an account without any", async () => {
      expect([...(await h.keys.authorizedKeys(owner, requestId))].sort()).toEqual([...CONTRACT_KEYS].sort());
      const keyless = await h.addUser({ email: `bob-${randomUUID()}@example.org`, displayName: 'Bob', keys: [] });
      expect(await h.keys.authorizedKeys(keyless, requestId)).toEqual([]);
    });

    it("tells the owner's contact, and nulls for an account that is gone", async () => {
      const contact = await h.owners.contact(owner, requestId);
      expect(contact.displayName).toBe('Ada');
      expect(contact.email).toMatch(/^ada-.*@example\.org$/);
      expect(await h.owners.contact(randomUUID(), requestId)).toEqual({ email: null, displayName: null });
    });
  });
}
