import { clampLimit, requireSelfOrAdmin } from '@medforge/shared-schema';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';

import type { CompetitionContext } from '../context';
import { Competition } from './competition.type';
import { Submission } from './submission.type';
import { User } from './user.type';

const MAX_SUBMISSIONS_PAGE = 200;

@Resolver(() => User)
export class UserSubmissionsResolver {
  @FieldResolver(() => [Submission], { description: "The user's submissions, newest first (self or admin only)." })
  async submissions(
    @Root() user: User,
    @Ctx() ctx: CompetitionContext,
    @Arg('competitionSlug', () => String, { nullable: true }) competitionSlug: string | null,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
  ): Promise<Submission[]> {
    requireSelfOrAdmin(ctx.actor, user.id);
    const competitionId = await ctx.services.catalog.competitionIdFilter(competitionSlug);
    const bounded = clampLimit(limit, MAX_SUBMISSIONS_PAGE);
    return (await ctx.services.submissions.forUser(user.id, competitionId, bounded)).map(Submission.from);
  }
}

@Resolver(() => Submission)
export class SubmissionResolver {
  @FieldResolver(() => User, { description: 'Who submitted it (identity resolves the profile).' })
  user(@Root() submission: Submission): User {
    return User.of(submission.userId);
  }

  @FieldResolver(() => Competition)
  async competition(@Root() submission: Submission, @Ctx() ctx: CompetitionContext): Promise<Competition> {
    const row = await ctx.competitionLoader.load(submission.competitionId);
    if (!row) throw new Error(`submission ${submission.id} references missing competition`);
    return Competition.from(row);
  }
}

export const userReference = {
  User: {
    __resolveReference(reference: { id: string }): User {
      return User.of(reference.id);
    },
  },
};
