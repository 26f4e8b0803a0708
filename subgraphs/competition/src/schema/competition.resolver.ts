import { assertPage, DomainError } from '@medforge/shared-schema';
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';

import type { CompetitionContext } from '../context';
import { Competition } from './competition.type';
import { Dataset, DatasetFile, DatasetOrigin } from './dataset.type';
import { LeaderboardEntry, LeaderboardPage, ScoreBin } from './leaderboard.type';
import { User } from './user.type';

const MAX_LEADERBOARD_PAGE = 100;
const MAX_SCORE_BINS = 50;

@Resolver(() => Competition)
export class CompetitionResolver {
  @Query(() => [Competition], { description: 'Active competitions, by slug.' })
  async competitions(@Ctx() ctx: CompetitionContext): Promise<Competition[]> {
    return (await ctx.services.catalog.competitions()).map(Competition.from);
  }

  @Query(() => Competition, { nullable: true })
  async competition(@Arg('slug') slug: string, @Ctx() ctx: CompetitionContext): Promise<Competition | null> {
    const row = await ctx.services.catalog.competitionBySlug(slug);
    return row ? Competition.from(row) : null;
  }

  @FieldResolver(() => Dataset)
  async dataset(@Root() competition: Competition, @Ctx() ctx: CompetitionContext): Promise<Dataset> {
    const row = await ctx.datasetLoader.load(competition.datasetId);
    if (!row) throw new Error(`competition ${competition.slug} references missing dataset`);
    return Dataset.from(row);
  }

  @FieldResolver(() => DatasetFile, {
    nullable: true,
    description:
      "A valid file to start from, listing every test id once; null while the competition's data is not installed.",
  })
  async sampleSubmission(
    @Root() competition: Competition,
    @Ctx() ctx: CompetitionContext,
  ): Promise<DatasetFile | null> {
    const row = await ctx.datasetLoader.load(competition.datasetId);
    const file = row ? await ctx.services.datasetFiles.sampleSubmission(competition.slug) : null;
    return row && file ? DatasetFile.of(row.slug, file) : null;
  }

  @FieldResolver(() => LeaderboardPage, { description: 'Best score per user, best first.' })
  async leaderboard(
    @Root() competition: Competition,
    @Ctx() ctx: CompetitionContext,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
  ): Promise<LeaderboardPage> {
    assertPage(limit, offset, MAX_LEADERBOARD_PAGE);
    const page = await ctx.services.leaderboard.page(competition.row, limit, offset);
    return Object.assign(new LeaderboardPage(), {
      limit,
      offset,
      totalEntries: page.totalEntries,
      entries: page.entries.map((e) => ({ ...e, user: User.of(e.userId) })),
    });
  }

  @FieldResolver(() => [ScoreBin], {
    description: "How the leaderboard's best scores spread over [0, 1], in `bins` equal bins (2-50).",
  })
  async scoreDistribution(
    @Root() competition: Competition,
    @Ctx() ctx: CompetitionContext,
    @Arg('bins', () => Int, { defaultValue: 20 }) bins: number,
  ): Promise<ScoreBin[]> {
    if (bins < 2 || bins > MAX_SCORE_BINS) {
      throw new DomainError('BAD_USER_INPUT', `bins must be between 2 and ${MAX_SCORE_BINS}`, { field: 'bins' });
    }
    return (await ctx.services.leaderboard.distribution(competition.row, bins)).map((bin) =>
      Object.assign(new ScoreBin(), bin),
    );
  }
}

@Resolver(() => Competition)
export class ViewerLeaderboardResolver {
  @FieldResolver(() => LeaderboardEntry, {
    nullable: true,
    description:
      "The viewer's own row of the leaderboard (rank and best submission); null when signed out or unscored.",
  })
  async myLeaderboardEntry(
    @Root() competition: Competition,
    @Ctx() ctx: CompetitionContext,
  ): Promise<LeaderboardEntry | null> {
    if (!ctx.actor) return null;
    const entry = await ctx.services.leaderboard.entryFor(competition.row, ctx.actor.userId);
    return entry ? Object.assign(new LeaderboardEntry(), { ...entry, user: User.of(entry.userId) }) : null;
  }
}

@Resolver(() => Dataset)
export class DatasetResolver {
  @Query(() => [Dataset])
  async datasets(@Ctx() ctx: CompetitionContext): Promise<Dataset[]> {
    return (await ctx.services.catalog.datasets()).map(Dataset.from);
  }

  @Query(() => Dataset, { nullable: true })
  async dataset(@Arg('slug') slug: string, @Ctx() ctx: CompetitionContext): Promise<Dataset | null> {
    const row = await ctx.services.catalog.datasetBySlug(slug);
    return row ? Dataset.from(row) : null;
  }

  @FieldResolver(() => [DatasetFile], {
    description: 'Every file of the dataset (training, then public evaluation); empty while its data is not installed.',
  })
  async files(@Root() dataset: Dataset, @Ctx() ctx: CompetitionContext): Promise<DatasetFile[]> {
    const listing = await ctx.services.datasetFiles.listing(dataset.slug);
    return listing.files.map((file) => DatasetFile.of(dataset.slug, file));
  }

  @FieldResolver(() => DatasetOrigin, {
    nullable: true,
    description: 'Where the files came from; null while none are installed.',
  })
  async origin(@Root() dataset: Dataset, @Ctx() ctx: CompetitionContext): Promise<DatasetOrigin | null> {
    return (await ctx.services.datasetFiles.listing(dataset.slug)).origin as DatasetOrigin | null;
  }
}
