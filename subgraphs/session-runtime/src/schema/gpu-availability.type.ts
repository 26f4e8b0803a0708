import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'How many GPUs the host has and how many a new session could get now.' })
export class GpuAvailability {
  @Field(() => Int, { description: 'GPUs present on the host.' })
  total!: number;

  @Field(() => Int, { description: 'Present GPUs an administrator has enabled.' })
  enabled!: number;

  @Field(() => Int, { description: 'Enabled GPUs not held by an active session.' })
  free!: number;
}
