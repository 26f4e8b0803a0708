import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The identity subgraph's User, extended here with the user's submissions. */
@ObjectType()
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID)
  id!: string;

  static of(id: string): User {
    return Object.assign(new User(), { id });
  }
}
