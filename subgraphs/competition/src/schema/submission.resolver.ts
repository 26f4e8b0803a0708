import {
  assertPage,
  DomainError,
  isAdmin,
  isOwnerOrAdmin,
  requireActor,
  requireAdmin,
  SubmissionStatus,
} from '@medforge/shared-schema';
import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  registerEnumType,
  Resolver,
  Root,
} from 'type-graphql';

import { JSONObjectResolver } from 'graphql-scalars';

import type { CompetitionContext } from '../context';
import type { SubmissionRow } from '../db/models/submission.model';
import { Competition } from './competition.type';
import { Submission } from './submission.type';
import { SubmissionCap } from './submission-cap.type';

export enum ContentEncoding {
  TEXT = 'text',
  BASE64 = 'base64',
}

registerEnumType(ContentEncoding, {
  name: 'ContentEncoding',
  description: 'How `content` carries the file: TEXT (UTF-8 CSV as is) or BASE64 (exact bytes).',
});

/** Strict base64 in linear time (a single backtracking regex overflows the stack on megabytes). */
function isBase64(content: string): boolean {
  if (content.length % 4 !== 0 || /[^A-Za-z0-9+/=]/.test(content)) return false;
  const padding = content.indexOf('=');
  return padding === -1 || (padding >= content.length - 2 && /^=+$/.test(content.slice(padding)));
}

@Resolver(() => Submission)
export class SubmitPredictionResolver {
  @Mutation(() => Submission, {
    description:
      'Uploads a CSV of predictions; it is QUEUED and scored asynchronously. Counts against the daily cap ' +
      'unless scoring fails. Files above 1 MB: use BASE64 from a script or POST /api/v2/competitions/{slug}/submissions.',
  })
  async submitPrediction(
    @Arg('competitionSlug') competitionSlug: string,
    @Arg('filename') filename: string,
    @Arg('content') content: string,
    @Arg('encoding', () => ContentEncoding, { defaultValue: ContentEncoding.TEXT }) encoding: ContentEncoding,
    @Ctx() ctx: CompetitionContext,
  ): Promise<Submission> {
    requireActor(ctx.actor);
    if (encoding === ContentEncoding.BASE64 && !isBase64(content)) {
      throw new DomainError('BAD_USER_INPUT', 'content is not valid base64');
    }
    const bytes = Buffer.from(content, encoding === ContentEncoding.BASE64 ? 'base64' : 'utf8');
    return unscored(await ctx.services.intake.submit(ctx.actor, competitionSlug, filename, bytes));
  }
}

@ObjectType()
export class SubmissionPage {
  @Field(() => [Submission])
  submissions!: Submission[];

  @Field(() => Int)
  total!: number;
}

const MAX_PAGE = 200;

@Resolver(() => Submission)
export class SubmissionQueryResolver {
  @Query(() => SubmissionPage, {
    description: 'Admin: every submission, newest first, optionally of one competition and/or status.',
  })
  async allSubmissions(
    @Ctx() ctx: CompetitionContext,
    @Arg('competitionSlug', () => String, { nullable: true }) competitionSlug: string | null,
    @Arg('status', () => SubmissionStatus, { nullable: true }) status: SubmissionStatus | null,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
  ): Promise<SubmissionPage> {
    requireAdmin(ctx.actor);
    assertPage(limit, offset, MAX_PAGE);
    const competitionId = await ctx.services.catalog.competitionIdFilter(competitionSlug);
    const page = await ctx.services.submissions.all({ competitionId, status }, limit, offset);
    return Object.assign(new SubmissionPage(), { submissions: page.rows.map(Submission.from), total: page.total });
  }

  @Query(() => Submission, { nullable: true, description: 'One of your submissions (any, for admins).' })
  async submission(@Arg('id', () => ID) id: string, @Ctx() ctx: CompetitionContext): Promise<Submission | null> {
    const actor = requireActor(ctx.actor);
    const row = await ctx.services.submissions.byId(id);
    return row && isOwnerOrAdmin(actor, row.user_id) ? Submission.from(row) : null;
  }

  @Mutation(() => Submission, { description: 'Admin: score a finished submission again (its old score is removed).' })
  async rescoreSubmission(@Arg('id', () => ID) id: string, @Ctx() ctx: CompetitionContext): Promise<Submission> {
    // The row as the rescore left it (QUEUED): the worker may already be on it by the time we answer.
    return unscored(await ctx.services.rescore.rescore(ctx.actor, id));
  }
}

@Resolver(() => Competition)
export class CompetitionCapResolver {
  @FieldResolver(() => SubmissionCap, { nullable: true, description: "The viewer's cap today; null when signed out." })
  async myCap(@Root() competition: Competition, @Ctx() ctx: CompetitionContext): Promise<SubmissionCap | null> {
    if (!ctx.actor) return null;
    return Object.assign(new SubmissionCap(), await ctx.services.intake.capStatus(competition.row, ctx.actor.userId));
  }
}

/**
 * What a score reveals beyond the number itself is for administrators: the holdout's hash would confirm a
 * guess of the hidden labels, and the parts of a score are counts taken from them (how many test images
 * hold an opacity, how many rows were right). Participants see the primary score only.
 */
@Resolver(() => Submission)
export class SubmissionSecretsResolver {
  @FieldResolver(() => JSONObjectResolver, {
    nullable: true,
    description:
      'Admins: parts of the score once SCORED (e.g. correct/total, per-IoU-threshold precision); null for others.',
  })
  scoreComponents(@Root() submission: Submission, @Ctx() ctx: CompetitionContext): Record<string, unknown> | null {
    return isAdmin(ctx.actor) ? submission.scoreComponents : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Admins: SHA-256 of the holdout labels it was scored against; null for others.',
  })
  holdoutSha256(@Root() submission: Submission, @Ctx() ctx: CompetitionContext): string | null {
    return isAdmin(ctx.actor) ? submission.holdoutSha256 : null;
  }
}

/** A submission as it is before any score exists (just queued, or queued again). */
function unscored(row: SubmissionRow): Submission {
  return Submission.from({
    ...row,
    primary_score: null,
    score_components: null,
    scorer_version: null,
    holdout_sha256: null,
  });
}
