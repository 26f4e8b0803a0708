import { type Clock, DomainError, type Knex, systemClock } from '@medforge/shared-schema';

import { nextPeriod, periodStart } from './usage-buckets';
import type { UsageReport } from './usage-report';

/** A user's GPU time this week against the installation's weekly budget. */
export interface GpuBudget {
  hoursPerWeek: number;
  usedHours: number;
  /** When the week ends and the budget is whole again (Monday 00:00 UTC). */
  refillsAt: Date;
}

/**
 * The weekly GPU-hour budget each user has (SESSION_WEEKLY_GPU_HOURS; 0: none), counted over the ISO week
 * in UTC from the session rows. It is checked when a start is asked (a session running past the budget is
 * not stopped): a user who has used it up is refused, told the budget and when it refills.
 */
export class GpuBudgets {
  constructor(
    private readonly usage: UsageReport,
    private readonly hoursPerWeek: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The user's budget this week; null when the installation sets none. */
  async of(userId: string, db?: Knex): Promise<GpuBudget | null> {
    if (this.hoursPerWeek <= 0) return null;
    const weekStart = periodStart(this.clock.now(), 'week');
    return {
      hoursPerWeek: this.hoursPerWeek,
      usedHours: await this.usage.gpuHoursSince(userId, weekStart, db),
      refillsAt: nextPeriod(weekStart, 'week'),
    };
  }

  /** Refuses a start (QUOTA_EXCEEDED) once the user's GPU hours this week reach the budget. */
  async admit(userId: string, db?: Knex): Promise<void> {
    const budget = await this.of(userId, db);
    if (!budget || budget.usedHours < budget.hoursPerWeek) return;
    const used = Math.round(budget.usedHours * 10) / 10;
    throw new DomainError(
      'QUOTA_EXCEEDED',
      `Your GPU budget of ${budget.hoursPerWeek} h a week is used up (${used} h since Monday 00:00 UTC); it refills ${budget.refillsAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      { budgetHours: budget.hoursPerWeek, usedHours: used, refillsAt: budget.refillsAt.toISOString() },
    );
  }
}
