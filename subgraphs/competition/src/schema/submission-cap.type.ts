import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "The viewer's daily submission cap for one competition (UTC days)." })
export class SubmissionCap {
  @Field(() => Int)
  limit!: number;

  @Field(() => Int, { description: 'Submissions counted today; failed ones are given back.' })
  used!: number;

  @Field(() => Int)
  remaining!: number;

  @Field({ description: 'Next 00:00 UTC.' })
  resetsAt!: Date;
}
