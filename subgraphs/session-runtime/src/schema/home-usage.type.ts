import { Field, Float, ObjectType } from 'type-graphql';

import type { WorkspaceUsage } from '../ports/workspace-store';

/** The share of its quota at which a home counts as nearly full (the console warns). */
export const NEARLY_FULL = 0.9;

@ObjectType({ description: "How full a user's home (/workspace, with the environment in /workspace/.home) is." })
export class HomeUsage {
  @Field(() => Float, {
    description: 'What the files take now (snapshots are not counted, as the quota does not count them).',
  })
  usedBytes!: number;

  @Field(() => Float, { nullable: true, description: 'The most the home may hold (null: no quota).' })
  quotaBytes!: number | null;

  @Field({ description: 'At least 90 % of the quota is used: writes will soon fail with "Disk quota exceeded".' })
  nearlyFull!: boolean;

  static from(usage: WorkspaceUsage): HomeUsage {
    return Object.assign(new HomeUsage(), {
      ...usage,
      nearlyFull: usage.quotaBytes !== null && usage.usedBytes >= NEARLY_FULL * usage.quotaBytes,
    });
  }
}
