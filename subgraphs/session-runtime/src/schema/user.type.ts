import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The identity subgraph's User, extended here with the user's sessions. */
@ObjectType()
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID)
  id!: string;
}
