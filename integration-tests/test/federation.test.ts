import { randomUUID } from 'node:crypto';

import { postGraphQL } from '@medforge/shared-schema/testing';

import { startTestStack, type TestStack } from '../testkit/stack';
import { refreshBest } from '@medforge/competition';

describe('federated gateway over the three subgraphs', () => {
  let stack: TestStack;
  const userId = randomUUID();

  beforeAll(async () => {
    stack = await startTestStack();
    await stack.identity
      .knex('users')
      .insert({ id: userId, email: 'grace@example.org', display_name: 'grace', password_hash: 'x' });
    const titanic = await stack.competition.knex('competitions').where({ slug: 'titanic-survival' }).first();
    const submissionId = randomUUID();
    await stack.competition.knex('submissions').insert({
      id: submissionId,
      competition_id: titanic.id,
      user_id: userId,
      status: 'scored',
      filename: 'preds.csv',
      artifact_path: '/tmp/preds.csv',
      artifact_sha256: 'a'.repeat(64),
      size_bytes: 10,
      submitted_day: '2026-11-22',
    });
    await stack.competition.knex('submission_scores').insert({
      id: randomUUID(),
      submission_id: submissionId,
      competition_id: titanic.id,
      user_id: userId,
      primary_score: 0.78468,
      score_components: '{}',
      scorer_version: 'test',
      metric_version: 'accuracy-v1',
      holdout_sha256: 'b'.repeat(64),
      evaluation_split_version: 'v1',
      submitted_at: new Date(),
    });
    await stack.competition.knex.transaction((trx) => refreshBest(trx, titanic, userId));
  });

  afterAll(() => stack?.stop());

  it('answers one query that touches identity, session-runtime and competition', async () => {
    const { status, body } = await postGraphQL(
      `${stack.gateway.url}/graphql`,
      `{
        competition(slug: "titanic-survival") {
          title
          leaderboard { totalEntries entries { rank score user { id displayName } } }
        }
        gpuAvailability { total free }
      }`,
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      competition: {
        title: 'Titanic: who survived?',
        leaderboard: {
          totalEntries: 1,
          entries: [{ rank: 1, score: 0.78468, user: { id: userId, displayName: 'grace' } }],
        },
      },
      gpuAvailability: { total: 7, free: 7 },
    });
  });

  it("passes subgraph authorization errors through with their code (anonymous can't read a user's sessions)", async () => {
    const { body } = await postGraphQL(
      `${stack.gateway.url}/graphql`,
      'query($id: ID!) { user(id: $id) { displayName sessions { slug } submissions { id } } }',
      { id: userId },
    );
    expect(body.data).toEqual({ user: null });
    expect(body.errors?.map((e) => e.extensions?.['code'])).toContain('UNAUTHENTICATED');
  });

  it('rejects invalid queries with a client error code', async () => {
    const { status, body } = await postGraphQL(`${stack.gateway.url}/graphql`, '{ competitions { noSuchField } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
