import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';

import type { LimitOverrides, ResourceLimits } from '../services/session-limits';

@ObjectType({ description: 'What a session container may use.' })
export class SessionLimits {
  @Field(() => Float, { nullable: true, description: 'CPUs (fractions allowed); null: no limit.' })
  cpus!: number | null;

  @Field(() => Int, { nullable: true, description: 'Memory in MiB, swap included; null: no limit.' })
  memoryMib!: number | null;

  @Field(() => Int, { description: 'Processes and threads.' })
  pids!: number;

  @Field(() => Int, { description: 'Size of /dev/shm in MiB (counts against the memory limit).' })
  shmMib!: number;

  static from(limits: ResourceLimits): SessionLimits {
    return Object.assign(new SessionLimits(), limits);
  }
}

@ObjectType({
  description: "Limits set for a pack's or a user's sessions; a null field comes from the level below.",
})
export class SessionLimitOverrides {
  @Field(() => Float, { nullable: true })
  cpus!: number | null;

  @Field(() => Int, { nullable: true })
  memoryMib!: number | null;

  @Field(() => Int, { nullable: true })
  pids!: number | null;

  @Field(() => Int, { nullable: true })
  shmMib!: number | null;

  static from(overrides: LimitOverrides): SessionLimitOverrides {
    return Object.assign(new SessionLimitOverrides(), overrides);
  }
}

@InputType({ description: 'Limits to set; a null or missing field is taken from the level below.' })
export class SessionLimitsInput {
  @Field(() => Float, { nullable: true, description: 'CPUs, 0.1-1024.' })
  cpus?: number | null;

  @Field(() => Int, { nullable: true, description: 'Memory in MiB, at least 256.' })
  memoryMib?: number | null;

  @Field(() => Int, { nullable: true, description: 'Processes, at least 64.' })
  pids?: number | null;

  @Field(() => Int, { nullable: true, description: '/dev/shm in MiB, at least 64.' })
  shmMib?: number | null;

  toOverrides(): LimitOverrides {
    return {
      cpus: this.cpus ?? null,
      memoryMib: this.memoryMib ?? null,
      pids: this.pids ?? null,
      shmMib: this.shmMib ?? null,
    };
  }
}
