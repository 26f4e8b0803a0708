import { randomUUID } from 'node:crypto';

import { createLogger } from '@medforge/shared-schema';
import {
  dropDatabase,
  postGraphQL,
  signedHeaders,
  testDatabaseOptions,
  testEnv,
} from '@medforge/shared-schema/testing';

import { type CompetitionApp, loadCompetitionConfig, startCompetition } from '../../src';
import { seedCatalog } from '../../src/db/seed/catalog';
import { refreshBest } from '../../src/services/leaderboard-bests';

describe('competition subgraph on the real MariaDB', () => {
  const db = testDatabaseOptions('competition');
  let app: CompetitionApp;
  let titanicId: string;

  /** Inserts a scored submission (the rows the worker writes). */
  async function scored(userId: string, score: number, submittedAt: string, id = randomUUID()): Promise<string> {
    await app.knex('submissions').insert({
      id,
      competition_id: titanicId,
      user_id: userId,
      status: 'scored',
      filename: 'preds.csv',
      artifact_path: `/tmp/${id}.csv`,
      artifact_sha256: 'f'.repeat(64),
      size_bytes: 100,
      submitted_day: submittedAt.slice(0, 10),
      created_at: new Date(submittedAt),
    });
    await app.knex('submission_scores').insert({
      id: randomUUID(),
      submission_id: id,
      competition_id: titanicId,
      user_id: userId,
      primary_score: score,
      score_components: JSON.stringify({ accuracy: score }),
      scorer_version: 'test',
      metric_version: 'accuracy-v1',
      holdout_sha256: 'e'.repeat(64),
      evaluation_split_version: 'v1',
      submitted_at: new Date(submittedAt),
    });
    await app.knex.transaction((trx) => refreshBest(trx, { id: titanicId, higher_is_better: true }, userId));
    return id;
  }

  beforeAll(async () => {
    app = await startCompetition(
      loadCompetitionConfig(testEnv({ COMPETITION_PORT: '0', COMPETITION_DB_NAME: db.database })),
    );
    titanicId = (await app.knex('competitions').where({ slug: 'titanic-survival' }).first()).id;
  });

  afterAll(async () => {
    await app?.stop();
    await dropDatabase(db);
  });

  it('seeds the three permanent competitions idempotently, keeping ids', async () => {
    const before = await app.knex('competitions').select('id', 'slug').orderBy('slug');
    await seedCatalog(app.knex, createLogger('test', 'silent'));
    const after = await app.knex('competitions').select('id', 'slug').orderBy('slug');
    expect(after).toEqual(before);
    expect(after.map((r) => r.slug)).toEqual([
      'cifar-100-classification',
      'rsna-pneumonia-detection',
      'titanic-survival',
    ]);
    expect(await app.knex('datasets').count({ n: '*' })).toEqual([{ n: 3 }]);
  });

  it('serves the catalog with format and caps', async () => {
    const { body } = await postGraphQL(
      app.url,
      '{ competition(slug: "cifar-100-classification") { metric higherIsBetter submissionFormat { idColumn targetColumn expectedRows } dataset { slug } } }',
      {},
      signedHeaders(null),
    );
    expect(body.data).toEqual({
      competition: {
        metric: 'ACCURACY',
        higherIsBetter: true,
        submissionFormat: { idColumn: 'id', targetColumn: 'label', expectedRows: 10000 },
        dataset: { slug: 'cifar-100' },
      },
    });
  });

  it('ranks the best score per user; ties go to the earlier submission, then the smaller id', async () => {
    const [alice, bob, carol, dave] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await scored(alice, 0.7, '2026-01-01T10:00:00.000Z');
    const aliceBest = await scored(alice, 0.8, '2026-01-02T10:00:00.000Z');
    await scored(alice, 0.8, '2026-01-03T10:00:00.000Z'); // same score later: not her pick
    const bobBest = await scored(bob, 0.8, '2026-01-01T09:00:00.000Z'); // same score, earlier: ranks above alice
    const carolLow = await scored(carol, 0.6, '2026-01-01T08:00:00.000Z', '00000000-0000-4000-8000-000000000002');
    const daveLow = await scored(dave, 0.6, '2026-01-01T08:00:00.000Z', '00000000-0000-4000-8000-000000000001');

    const query = `query($limit: Int!, $offset: Int!) { competition(slug: "titanic-survival") {
      leaderboard(limit: $limit, offset: $offset) { totalEntries limit offset entries { rank score submissionId user { id } } } } }`;
    const { body } = await postGraphQL<{
      competition: { leaderboard: { totalEntries: number; entries: Array<{ rank: number; submissionId: string }> } };
    }>(app.url, query, { limit: 10, offset: 0 }, signedHeaders(null));
    const board = body.data!.competition.leaderboard;
    expect(board.totalEntries).toBe(4);
    expect(board.entries.map((e) => [e.rank, e.submissionId])).toEqual([
      [1, bobBest],
      [2, aliceBest],
      [3, daveLow],
      [4, carolLow],
    ]);

    const page2 = await postGraphQL<typeof body.data>(app.url, query, { limit: 2, offset: 2 }, signedHeaders(null));
    expect(page2.body.data!.competition.leaderboard.entries.map((e) => e.rank)).toEqual([3, 4]);

    const bad = await postGraphQL(app.url, query, { limit: 0, offset: 0 }, signedHeaders(null));
    expect(bad.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');

    // The spread of the best scores (one per user): 0.6, 0.6, 0.8, 0.8 in ten bins of 0.1.
    const spread = `query($bins: Int!) { competition(slug: "titanic-survival") { scoreDistribution(bins: $bins) { from to count } } }`;
    const distribution = await postGraphQL<{
      competition: { scoreDistribution: Array<{ from: number; to: number; count: number }> };
    }>(app.url, spread, { bins: 10 }, signedHeaders(null));
    const bins = distribution.body.data!.competition.scoreDistribution;
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.count)).toEqual([0, 0, 0, 0, 0, 0, 2, 0, 2, 0]);
    expect(bins[6]).toMatchObject({ from: 0.6, to: 0.7 });
    const tooMany = await postGraphQL(app.url, spread, { bins: 500 }, signedHeaders(null));
    expect(tooMany.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it("shows a user's submissions only to that user or an admin", async () => {
    const user = randomUUID();
    await scored(user, 0.5, '2026-02-01T00:00:00.000Z');
    const query =
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { submissions { status primaryScore competition { slug } } } } }';
    const variables = { r: [{ __typename: 'User', id: user }] };
    const own = await postGraphQL(
      app.url,
      query,
      variables,
      signedHeaders({ userId: user, role: 'user', canUseInternal: false }),
    );
    expect(own.body.data).toEqual({
      _entities: [
        { submissions: [{ status: 'SCORED', primaryScore: 0.5, competition: { slug: 'titanic-survival' } }] },
      ],
    });
    const other = await postGraphQL(
      app.url,
      query,
      variables,
      signedHeaders({ userId: randomUUID(), role: 'user', canUseInternal: false }),
    );
    expect(other.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});
