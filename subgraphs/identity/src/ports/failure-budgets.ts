import type { BudgetLimits, FailureBudget } from '@medforge/shared-schema';

/**
 * Makes the failure budgets sign-in protection spends (per account, per address): kept in Redis so every
 * identity process shares them; in memory in tests.
 */
export type FailureBudgets = (keyPrefix: string, limits: BudgetLimits) => FailureBudget;
