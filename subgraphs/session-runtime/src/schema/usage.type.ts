import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

import type { GpuBudget as Budget } from '../services/gpu-budgets';
import type { UsageBucket as Bucket } from '../services/usage-buckets';
import { User } from './user.type';

export enum UsagePeriod {
  DAY = 'day',
  WEEK = 'week',
  MONTH = 'month',
}
registerEnumType(UsagePeriod, {
  name: 'UsagePeriod',
  description: 'How usage is grouped: calendar days, ISO weeks (from Monday) or months, in UTC.',
});

@ObjectType({ description: 'Usage within one period.' })
export class UsageBucket {
  @Field({ description: "The period's first instant (UTC)." })
  start!: Date;

  @Field({ description: 'The next period’s first instant.' })
  end!: Date;

  @Field(() => Float, { description: 'Hours sessions ran within the period.' })
  sessionHours!: number;

  @Field(() => Float, { description: 'Hours of GPU they held (one GPU per session).' })
  gpuHours!: number;

  @Field(() => Int, { description: 'Sessions that started within the period.' })
  sessions!: number;

  static from(bucket: Bucket): UsageBucket {
    const { start, end, sessionHours, gpuHours, sessions } = bucket;
    return Object.assign(new UsageBucket(), { start, end, sessionHours, gpuHours, sessions });
  }
}

@ObjectType({ description: "A user's GPU time this week against the installation's weekly budget." })
export class GpuBudget {
  @Field(() => Float)
  hoursPerWeek!: number;

  @Field(() => Float, { description: 'GPU hours used since Monday 00:00 UTC (running sessions included).' })
  usedHours!: number;

  @Field({ description: 'When the week ends and the budget is whole again.' })
  refillsAt!: Date;

  static from(budget: Budget): GpuBudget {
    return Object.assign(new GpuBudget(), budget);
  }
}

@ObjectType({ description: 'Your own usage per period, with your weekly GPU budget if there is one.' })
export class MyUsage {
  @Field(() => UsagePeriod)
  period!: UsagePeriod;

  @Field()
  since!: Date;

  @Field()
  until!: Date;

  @Field(() => [UsageBucket], { description: 'Periods with usage, oldest first.' })
  buckets!: UsageBucket[];

  @Field(() => GpuBudget, { nullable: true, description: 'Null: the installation sets no GPU budget.' })
  budget!: GpuBudget | null;
}

@ObjectType({ description: "One user's usage per period." })
export class UserUsage {
  @Field(() => User)
  user!: User;

  @Field(() => Float)
  gpuHours!: number;

  @Field(() => Float)
  sessionHours!: number;

  @Field(() => Int)
  sessions!: number;

  @Field(() => [UsageBucket], { description: 'Periods with usage, oldest first.' })
  buckets!: UsageBucket[];
}

@ObjectType({ description: 'Everyone’s usage per period (administrators).' })
export class UsageReport {
  @Field(() => UsagePeriod)
  period!: UsagePeriod;

  @Field()
  since!: Date;

  @Field()
  until!: Date;

  @Field(() => [UserUsage], { description: 'Users with usage in the window, most GPU hours first.' })
  users!: UserUsage[];
}
