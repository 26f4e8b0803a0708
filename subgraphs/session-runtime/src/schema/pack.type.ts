import { Field, ID, ObjectType } from 'type-graphql';

import type { PackRow } from '../db/models/pack.model';

@ObjectType({ description: 'A session image: the tools a session starts with, pinned by digest.' })
export class Pack {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field({ description: 'Digest-pinned image reference (repository@sha256:...).' })
  imageRef!: string;

  @Field({ description: 'Used when a session is created without a pack.' })
  isDefault!: boolean;

  static from(row: PackRow): Pack {
    return Object.assign(new Pack(), {
      id: row.id,
      name: row.name,
      description: row.description,
      imageRef: row.image_ref,
      isDefault: row.is_default,
    });
  }
}
