import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

import { User } from './user.type';

@ObjectType({ description: "One user's best scored submission." })
export class LeaderboardEntry {
  @Field(() => Int, { description: '1-based; no shared ranks: ties go to the earlier submission.' })
  rank!: number;

  @Field(() => User)
  user!: User;

  @Field(() => Float)
  score!: number;

  @Field(() => ID)
  submissionId!: string;

  @Field()
  submittedAt!: Date;
}

@ObjectType()
export class LeaderboardPage {
  @Field(() => [LeaderboardEntry])
  entries!: LeaderboardEntry[];

  @Field(() => Int, { description: 'Users with at least one scored submission.' })
  totalEntries!: number;

  @Field(() => Int)
  limit!: number;

  @Field(() => Int)
  offset!: number;
}

@ObjectType({ description: 'How many users have their best score in [from, to) (the last bin includes 1).' })
export class ScoreBin {
  @Field(() => Float)
  from!: number;

  @Field(() => Float)
  to!: number;

  @Field(() => Int)
  count!: number;
}
