import { createHash } from 'node:crypto';

import type { FailureBudget } from '@medforge/shared-schema';

import type { FailureBudgets } from '../ports/failure-budgets';

export interface LoginLimits {
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  windowSeconds: number;
}

/**
 * Brute-force protection in failure budgets shared by every identity process (Redis): only failures count — per account
 * (a wrong password) and per client address (a wrong password, or a sign-up that failed: taken email,
 * invalid input) — so a lab or a script behind one address that signs in successfully is never locked
 * out. Once either budget is spent, attempts are refused for the rest of its window, with the true time
 * left. Account keys use a hash of the email so Redis holds no addresses.
 */
export class LoginLimiter {
  private readonly byAccount: FailureBudget;
  private readonly byAddress: FailureBudget;

  constructor(budgets: FailureBudgets, limits: LoginLimits) {
    const { windowSeconds } = limits;
    this.byAccount = budgets('mf:auth:fail:acct', { failures: limits.maxFailuresPerAccount, windowSeconds });
    this.byAddress = budgets('mf:auth:fail:ip', {
      failures: limits.maxFailuresPerIp,
      windowSeconds,
    });
  }

  /** Refuses the attempt while its address, or the account it names, has no failures left. */
  async admit(clientIp: string | null, email: string | null): Promise<void> {
    if (clientIp) await this.byAddress.refuseIfSpent(clientIp, 'Too many failed sign-ins from your address');
    if (email) await this.byAccount.refuseIfSpent(accountKey(email), 'Too many failed sign-ins for this account');
  }

  async recordFailure(clientIp: string | null, email: string | null): Promise<void> {
    await Promise.all([
      clientIp ? this.byAddress.spend(clientIp) : undefined,
      email ? this.byAccount.spend(accountKey(email)) : undefined,
    ]);
  }

  /** A successful login forgets the account's failures (its address keeps its count). */
  async clearAccount(email: string): Promise<void> {
    await this.byAccount.forget(accountKey(email));
  }
}

function accountKey(email: string): string {
  return createHash('sha256').update(email).digest('hex');
}
