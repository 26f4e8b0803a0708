import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateHoldouts, type Holdout, loadHoldouts } from '@medforge/competition';
import Queue from 'bull';

import { ALLOWED_ORIGIN, ApiClient, uniqueEmail } from '../testkit/client';
import { collect, untilSubscribed, wsClient } from '../testkit/graphql-ws';
import { startScoringWorker, type WorkerProcess } from '../testkit/scoring-worker';
import { startTestStack, type TestStack } from '../testkit/stack';
import { until, untilTrue } from '../testkit/wait';
import { makeAdmin } from '../testkit/seed';

/** POST a file as multipart/form-data, the way a browser form or curl -F sends it. */
async function upload(client: ApiClient, slug: string, bytes: Buffer | string, filename = 'predictions.csv') {
  const form = new FormData();
  form.append('file', new Blob([bytes]), filename);
  const response = await fetch(`${client.baseUrl}/api/v2/competitions/${slug}/submissions`, {
    method: 'POST',
    headers: { cookie: client.cookie!, origin: ALLOWED_ORIGIN, 'x-forwarded-for': client.ip },
    body: form,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

describe('submissions: upload, daily cap, scoring worker, leaderboard', () => {
  let stack: TestStack;
  let worker: WorkerProcess;
  let holdoutsDir: string;
  let titanic: Holdout;
  let rsna: Holdout;

  const titanicCsv = (label: (truth: string) => string) => {
    if (titanic.truth.kind !== 'labels') throw new Error('labels expected');
    return `PassengerId,Survived\n${[...titanic.truth.labels].map(([id, l]) => `${id},${label(l)}`).join('\n')}\n`;
  };
  const submissionRow = (id: string) => stack.competition.knex('submissions').where({ id }).first();
  const settled = (id: string) =>
    until(`submission ${id} settled`, 30_000, async () => {
      const row = await submissionRow(id);
      return row.status === 'scored' || row.status === 'failed' ? row : undefined;
    });

  beforeAll(async () => {
    holdoutsDir = mkdtempSync(path.join(tmpdir(), 'mf-test-holdouts-'));
    generateHoldouts(holdoutsDir);
    const holdouts = loadHoldouts(holdoutsDir);
    titanic = holdouts.get('titanic-survival')!;
    rsna = holdouts.get('rsna-pneumonia-detection')!;
    stack = await startTestStack();
    worker = await startScoringWorker(stack, holdoutsDir, {
      SCORING_LOCK_SECONDS: '2',
      SCORING_SWEEP_INTERVAL_SECONDS: '1',
      SCORING_STALE_SECONDS: '2',
    });
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await stack?.stop();
  });

  it('scores an uploaded CSV and puts its author on the leaderboard', async () => {
    const ada = new ApiClient(stack.gateway.url);
    const adaId = await ada.signUp(uniqueEmail('ada'));
    const accepted = await upload(
      ada,
      'titanic-survival',
      titanicCsv((l) => l),
      'perfect.csv',
    );
    expect(accepted.status).toBe(201);
    expect(accepted.body.data).toMatchObject({
      status: 'QUEUED',
      filename: 'perfect.csv',
      competition: { slug: 'titanic-survival' },
    });
    expect(accepted.body.data.sha256).toMatch(/^[0-9a-f]{64}$/);

    const row = await settled(accepted.body.data.id);
    expect(row.status).toBe('scored');
    const mine = await ada.get('/api/v2/competitions/titanic-survival/submissions/me');
    expect(mine.status).toBe(200);
    expect(mine.body.data[0]).toMatchObject({
      id: accepted.body.data.id,
      status: 'SCORED',
      primary_score: 1,
      row_count: 418,
      scorer_version: 'scorer-v1',
      // What would confirm a guess of the hidden labels, or count them, is for administrators only.
      score_components: null,
      holdout_sha256: null,
    });
    expect(mine.body.meta.cap).toMatchObject({ limit: 10, used: 1, remaining: 9 });

    const board = await ada.get('/api/v2/competitions/titanic-survival/leaderboard');
    expect(board.body.data).toEqual([
      expect.objectContaining({ rank: 1, score: 1, user: expect.objectContaining({ id: adaId }) }),
    ]);
  });

  it('refuses a malformed file at upload with its line and reason, storing and counting nothing', async () => {
    const bob = new ApiClient(stack.gateway.url);
    const bobId = await bob.signUp(uniqueEmail('bob'));
    const refused = await upload(bob, 'titanic-survival', titanicCsv((l) => l).replace('\n893,', '\n892,'));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
      detail: 'Line 3: PassengerId 892 appears again (first on line 2); submit one row per id',
      line: 3,
    });
    const nan = await upload(bob, 'titanic-survival', titanicCsv((l) => l).replace(/\n(893),\d/, '\n$1,NaN'));
    expect(nan.body).toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
      detail: 'Line 3: Survived is NaN; it must be 0 or 1',
    });
    const columns = await upload(bob, 'titanic-survival', 'PassengerId,Survived,Extra\n892,1,2\n');
    expect(columns.body.detail).toBe('Unexpected column "Extra" (expected exactly: PassengerId,Survived)');
    expect(await stack.competition.knex('submissions').where({ user_id: bobId }).count({ n: '*' })).toEqual([{ n: 0 }]);
    const mine = await bob.get('/api/v2/competitions/titanic-survival/submissions/me');
    expect(mine.body.meta.cap).toMatchObject({ used: 0, remaining: 10 });
  });

  it('limits refused uploads per user (429, Retry-After) and names what a refused file is', async () => {
    const max = new ApiClient(stack.gateway.url);
    await max.signUp(uniqueEmail('max'));
    // A spreadsheet, a row error of the CSV itself (with its line), then refusals until the budget is spent.
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), Buffer.from('[Content_Types].xml')]);
    const spreadsheet = await upload(max, 'titanic-survival', xlsx, 'predictions.xlsx');
    expect(spreadsheet.status).toBe(422);
    expect(spreadsheet.body.detail).toMatch(/^The file is a ZIP archive .*not a CSV file; export or save it as CSV/);
    const fields = await upload(max, 'titanic-survival', 'PassengerId,Survived\n892,1,0\n');
    expect(fields.body).toMatchObject({ detail: 'Line 2 has 3 fields; the header has 2', line: 2 });
    const lastLineWrong = titanicCsv((l) => l).replace(/1309,\d\n$/, '1309,2\n');
    const answers = [];
    for (let i = 0; i < 9; i++) answers.push(await upload(max, 'titanic-survival', lastLineWrong));
    expect(answers.slice(0, 8).map((a) => a.status)).toEqual(Array(8).fill(422));
    const waiting = answers[8]!;
    expect(waiting.status).toBe(429);
    expect(waiting.body).toMatchObject({
      code: 'RATE_LIMITED',
      detail: expect.stringMatching(/^Too many refused uploads/),
    });
    expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThan(500);
    // Others are not affected.
    const nia = new ApiClient(stack.gateway.url);
    await nia.signUp(uniqueEmail('nia'));
    expect((await upload(nia, 'titanic-survival', lastLineWrong)).status).toBe(422);
  });

  it('reads a file name with quotes: escaped as browsers do, and says why a bare quote cannot be read', async () => {
    const quinn = new ApiClient(stack.gateway.url);
    await quinn.signUp(uniqueEmail('quinn'));
    const escaped = await upload(
      quinn,
      'titanic-survival',
      titanicCsv(() => '1'),
      'my "best" run.csv',
    );
    expect(escaped.status).toBe(201);
    expect(escaped.body.data.filename).toBe('my "best" run.csv');
    const body =
      '--b\r\nContent-Disposition: form-data; name="file"; filename="my "best".csv"\r\n' +
      `Content-Type: text/csv\r\n\r\n${titanicCsv(() => '1')}\r\n--b--\r\n`;
    const bare = await fetch(`${stack.gateway.url}/api/v2/competitions/titanic-survival/submissions`, {
      method: 'POST',
      headers: {
        cookie: quinn.cookie!,
        origin: ALLOWED_ORIGIN,
        'x-forwarded-for': quinn.ip,
        'content-type': 'multipart/form-data; boundary=b',
      },
      body,
    });
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as { detail: string }).detail).toMatch(
      /^The Content-Disposition of the part "file" cannot be read .*must be sent as %22/,
    );
  });

  it('fails, at scoring, a file naming ids outside the test set, and gives the cap unit back', async () => {
    const bea = new ApiClient(stack.gateway.url);
    await bea.signUp(uniqueEmail('bea'));
    const accepted = await upload(bea, 'titanic-survival', titanicCsv((l) => l).replace('\n893,', '\n5000,'));
    expect(accepted.status).toBe(201);
    const row = await settled(accepted.body.data.id);
    expect(row).toMatchObject({
      status: 'failed',
      error_message: 'Line 3: PassengerId "5000" is not in the test set',
    });
    const mine = await bea.get('/api/v2/competitions/titanic-survival/submissions/me');
    expect(mine.body.data[0]).toMatchObject({
      status: 'FAILED',
      error_message: row.error_message,
      primary_score: null,
    });
    expect(mine.body.meta.cap).toMatchObject({ used: 0, remaining: 10 });
  });

  it('keeps UTF-8 file names through a multipart upload', async () => {
    const una = new ApiClient(stack.gateway.url);
    await una.signUp(uniqueEmail('una'));
    const accepted = await upload(
      una,
      'titanic-survival',
      titanicCsv(() => '1'),
      'prédictions-画像 ✓.csv',
    );
    expect(accepted.status).toBe(201);
    expect(accepted.body.data.filename).toBe('prédictions-画像 ✓.csv');
  });

  it('lets an admin rescore a submission: one score again, and the viewer sees their own rank', async () => {
    const ida = new ApiClient(stack.gateway.url);
    await ida.signUp(uniqueEmail('ida'));
    const accepted = await upload(
      ida,
      'titanic-survival',
      titanicCsv((l) => l),
    );
    const id = accepted.body.data.id as string;
    await settled(id);
    const mine = await ida.graphql(
      '{ competition(slug: "titanic-survival") { myLeaderboardEntry { rank score submissionId } } }',
    );
    expect(mine.body.data.competition.myLeaderboardEntry).toMatchObject({ score: 1, submissionId: id });

    expect((await ida.post(`/api/v2/admin/submissions/${id}/score`)).status).toBe(403);
    const admin = new ApiClient(stack.gateway.url);
    const adminEmail = uniqueEmail('admin');
    const adminId = await admin.signUp(adminEmail);
    await makeAdmin(stack, adminId);
    await admin.post('/api/v2/auth/login', { email: adminEmail, password: 'correct horse battery' });
    const rescored = await admin.post(`/api/v2/admin/submissions/${id}/score`);
    expect(rescored.status).toBe(202);
    expect(rescored.body.data).toMatchObject({ id, status: 'QUEUED', primary_score: null });
    expect((await settled(id)).status).toBe('scored');
    expect(await stack.competition.knex('submission_scores').where({ submission_id: id }).count({ n: '*' })).toEqual([
      { n: 1 },
    ]);
    expect((await admin.post(`/api/v2/admin/submissions/${crypto.randomUUID()}/score`)).status).toBe(404);
    // Administrators see what participants do not: the parts of the score and the holdout it used.
    const query = 'query($id: ID!) { submission(id: $id) { scoreComponents holdoutSha256 } }';
    expect((await admin.graphql(query, { id })).body.data.submission).toEqual({
      scoreComponents: { correct: 418, total: 418 },
      holdoutSha256: titanic.sha256,
    });
    expect((await ida.graphql(query, { id })).body.data.submission).toEqual({
      scoreComponents: null,
      holdoutSha256: null,
    });
  });

  it('lists every submission to admins, filtered by competition and status, and to no one else', async () => {
    const author = new ApiClient(stack.gateway.url);
    await author.signUp(uniqueEmail('listed'));
    const good = (
      await upload(
        author,
        'titanic-survival',
        titanicCsv((l) => l),
      )
    ).body.data.id as string;
    const bad = (await upload(author, 'titanic-survival', 'PassengerId,Survived\n1,1\n')).body.data.id as string;
    await Promise.all([settled(good), settled(bad)]);

    const list = (client: ApiClient, args: string) =>
      client.graphql(
        `{ allSubmissions(${args}) { total submissions { id status primaryScore errorMessage user { id } competition { slug } } } }`,
      );
    const refused = await list(author, 'limit: 5');
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');

    const admin = new ApiClient(stack.gateway.url);
    const adminEmail = uniqueEmail('admin-list');
    const adminId = await admin.signUp(adminEmail);
    await makeAdmin(stack, adminId);
    await admin.post('/api/v2/auth/login', { email: adminEmail, password: 'correct horse battery' });

    const failed = await list(admin, 'competitionSlug: "titanic-survival", status: FAILED, limit: 200');
    const failedIds = failed.body.data.allSubmissions.submissions.map((s: { id: string }) => s.id);
    expect(failedIds).toContain(bad);
    expect(failedIds).not.toContain(good);
    expect(failed.body.data.allSubmissions.total).toBeGreaterThanOrEqual(1);
    const newest = await list(admin, 'limit: 2');
    // Newest first: the two just uploaded (other tests in this file run before, not concurrently).
    expect(newest.body.data.allSubmissions.submissions.map((s: { id: string }) => s.id).sort()).toEqual(
      [good, bad].sort(),
    );
    expect(newest.body.data.allSubmissions.submissions[0].competition.slug).toBe('titanic-survival');
    expect((await list(admin, 'competitionSlug: "nope"')).body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await list(admin, 'limit: 0')).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('streams status changes to the author and scored leaderboards to anyone, over graphql-ws', async () => {
    const jo = new ApiClient(stack.gateway.url);
    await jo.signUp(uniqueEmail('jo'));
    const kim = new ApiClient(stack.gateway.url);
    await kim.signUp(uniqueEmail('kim'));
    const clients = [
      wsClient(stack.gateway.url, jo.cookie),
      wsClient(stack.gateway.url, kim.cookie),
      wsClient(stack.gateway.url, null),
    ];
    const subscribedBefore = stack.gateway.subscriptionStats().members;
    const mine = collect(
      clients[0]!,
      'subscription { submissionUpdated { id status primaryScore user { displayName } competition { slug } } }',
    );
    const others = collect(clients[1]!, 'subscription { submissionUpdated { id status } }');
    const board = collect(
      clients[2]!,
      'subscription { leaderboardUpdated(competitionSlug: "titanic-survival") { slug leaderboard(limit: 100) { entries { score submissionId } } } }',
    );
    const anonymousMine = collect(clients[2]!, 'subscription { submissionUpdated { id } }');
    try {
      await untilSubscribed(stack.gateway, subscribedBefore, 3); // mine, others and the board
      const accepted = await upload(
        jo,
        'titanic-survival',
        titanicCsv((l) => l),
      );
      const id = accepted.body.data.id as string;
      await untilTrue('SCORED event', 30_000, () => mine.events.some((e) => e.submissionUpdated.status === 'SCORED'));
      expect(mine.events.map((e) => e.submissionUpdated.status)).toEqual(['QUEUED', 'SCORING', 'SCORED']);
      expect(mine.events[2].submissionUpdated).toMatchObject({
        id,
        primaryScore: 1,
        competition: { slug: 'titanic-survival' },
      });
      expect(mine.events[2].submissionUpdated.user.displayName).toEqual(expect.any(String));
      await untilTrue('leaderboard update', 10_000, () => board.events.length > 0);
      expect(board.events[0].leaderboardUpdated.leaderboard.entries).toContainEqual({ score: 1, submissionId: id });
      expect(others.events).toEqual([]);
      expect(anonymousMine.errors[0]).toMatchObject({ message: 'Sign in to subscribe to submissions' });
    } finally {
      for (const c of [mine, others, board, anonymousMine]) c.stop();
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });

  it('resolves a scored event once for all watchers of a public board, and per viewer for their own entry', async () => {
    const ann = new ApiClient(stack.gateway.url);
    const annId = await ann.signUp(uniqueEmail('ann'));
    const ben = new ApiClient(stack.gateway.url);
    await ben.signUp(uniqueEmail('ben'));
    const publicBoard =
      'subscription { leaderboardUpdated(competitionSlug: "titanic-survival") { slug leaderboard(limit: 100) { entries { score submissionId user { displayName } } } } }';
    const ownEntry =
      'subscription { leaderboardUpdated(competitionSlug: "titanic-survival") { myLeaderboardEntry { score submissionId user { id } } } }';
    const sockets = [
      wsClient(stack.gateway.url, null),
      wsClient(stack.gateway.url, null),
      wsClient(stack.gateway.url, ann.cookie),
      wsClient(stack.gateway.url, ben.cookie),
    ];
    const boards = sockets.map((socket) => collect(socket, publicBoard));
    const annOwn = collect(sockets[2]!, ownEntry);
    const benOwn = collect(sockets[3]!, ownEntry);
    try {
      // Four public watchers (two signed in) share one feed; each viewer's own entry is a feed of its own.
      await until('subscriptions registered', 10_000, async () => {
        const stats = stack.gateway.subscriptionStats();
        return stats.feeds === 3 && stats.members === 6 ? stats : undefined;
      });
      const accepted = await upload(
        ann,
        'titanic-survival',
        titanicCsv((l) => l),
      );
      const id = accepted.body.data.id as string;
      await untilTrue('every watcher updated', 30_000, () =>
        [...boards, annOwn, benOwn].every((c) => c.events.length > 0),
      );
      const payloads = boards.map((b) => JSON.stringify(b.events.at(-1).leaderboardUpdated));
      expect(new Set(payloads).size).toBe(1);
      expect(boards[0]!.events.at(-1).leaderboardUpdated.leaderboard.entries).toContainEqual(
        expect.objectContaining({ score: 1, submissionId: id }),
      );
      // Different authorization, different payloads: Ann sees her entry, Ben (not ranked) sees none.
      expect(annOwn.events.at(-1).leaderboardUpdated.myLeaderboardEntry).toEqual({
        score: 1,
        submissionId: id,
        user: { id: annId },
      });
      expect(benOwn.events.at(-1).leaderboardUpdated.myLeaderboardEntry).toBeNull();
      for (const c of [...boards, annOwn, benOwn]) expect(c.errors).toEqual([]);
    } finally {
      for (const c of [...boards, annOwn, benOwn]) c.stop();
      await Promise.all(sockets.map((s) => s.dispose()));
    }
  });

  it('ends delivery the moment the login ends (once per connection, not per event)', async () => {
    const cy = new ApiClient(stack.gateway.url);
    await cy.signUp(uniqueEmail('cy'));
    const socket = wsClient(stack.gateway.url, cy.cookie);
    const mine = collect(socket, 'subscription { submissionUpdated { id status } }');
    try {
      await until('subscribed', 10_000, async () => (stack.gateway.subscriptionStats().members > 0 ? true : undefined));
      expect((await cy.post('/api/v2/auth/logout')).body.data).toEqual({ signed_out: true });
      await untilTrue('login ended', 10_000, () => mine.errors.length > 0);
      expect(mine.errors[0]).toMatchObject({ message: 'Your login ended', extensions: { code: 'UNAUTHENTICATED' } });
      expect(mine.events).toEqual([]);
    } finally {
      mine.stop();
      await socket.dispose();
    }
  });

  it('serves watchers from a second gateway replica: events and logouts reach every replica', async () => {
    const replica = await stack.startGatewayReplica();
    const dee = new ApiClient(stack.gateway.url);
    await dee.signUp(uniqueEmail('dee'));
    // Dee watches through the replica; uploads and logs out through the first gateway.
    const socket = wsClient(replica.url, dee.cookie);
    const mine = collect(socket, 'subscription { submissionUpdated { id status } }');
    try {
      await until('subscribed', 10_000, async () => (replica.subscriptionStats().members > 0 ? true : undefined));
      const accepted = await upload(
        dee,
        'titanic-survival',
        titanicCsv((l) => l),
      );
      await untilTrue('SCORED on the replica', 30_000, () =>
        mine.events.some((e) => e.submissionUpdated.status === 'SCORED'),
      );
      expect(mine.events.map((e) => e.submissionUpdated)).toEqual(
        ['QUEUED', 'SCORING', 'SCORED'].map((status) => ({ id: accepted.body.data.id, status })),
      );
      expect((await dee.post('/api/v2/auth/logout')).body.data).toEqual({ signed_out: true });
      await untilTrue('login ended on the replica', 10_000, () => mine.errors.length > 0);
      expect(mine.errors[0]).toMatchObject({ message: 'Your login ended' });
    } finally {
      mine.stop();
      await socket.dispose();
    }
  });

  it('takes submissions over GraphQL too, as text', async () => {
    const hal = new ApiClient(stack.gateway.url);
    await hal.signUp(uniqueEmail('hal'));
    const mutation = `mutation($content: String!) {
      submitPrediction(competitionSlug: "titanic-survival", filename: "from-a-script.csv", content: $content) { id status }
    }`;
    const sent = await hal.graphql(mutation, { content: titanicCsv(() => '1') });
    expect(sent.body.data.submitPrediction.status).toBe('QUEUED');
    expect((await settled(sent.body.data.submitPrediction.id)).status).toBe('scored');
    const badBase64 = await hal.graphql(
      `mutation { submitPrediction(competitionSlug: "titanic-survival", filename: "x.csv", content: "@@@", encoding: BASE64) { id } }`,
    );
    expect(badBase64.body.errors[0]).toMatchObject({
      message: 'content is not valid base64',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('refuses oversized files before storing anything', async () => {
    const cy = new ApiClient(stack.gateway.url);
    await cy.signUp(uniqueEmail('cy'));
    const justOver = Buffer.alloc(1024 * 1024 + 1, 'a');
    const refused = await upload(cy, 'titanic-survival', justOver);
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      detail: 'The file is 1048577 bytes; titanic-survival accepts at most 1048576',
    });
    const huge = await upload(cy, 'rsna-pneumonia-detection', Buffer.alloc(8 * 1024 * 1024 + 1, 'a'));
    expect(huge.status).toBe(413);
    expect(huge.body.detail).toBe('The file is larger than 8388608 bytes');
    expect(
      await stack.competition.knex('submissions').where({ user_id: (await cy.get('/api/v2/me')).body.data.id }),
    ).toEqual([]);
  });

  it('rejects requests that are not one CSV file, with a clear reason', async () => {
    const dee = new ApiClient(stack.gateway.url);
    await dee.signUp(uniqueEmail('dee'));
    const json = await dee.post('/api/v2/competitions/titanic-survival/submissions', { file: 'x' });
    expect(json.status).toBe(415);
    const form = new FormData();
    form.append('other', new Blob(['x']), 'x.csv');
    const wrongField = await fetch(`${stack.gateway.url}/api/v2/competitions/titanic-survival/submissions`, {
      method: 'POST',
      headers: { cookie: dee.cookie!, origin: ALLOWED_ORIGIN },
      body: form,
    });
    expect(wrongField.status).toBe(400);
    expect(((await wrongField.json()) as { detail: string }).detail).toBe(
      'Unexpected file field "other"; send the CSV in "file"',
    );
    const unknown = await upload(dee, 'no-such-competition', 'a,b\n');
    expect(unknown.status).toBe(404);
    const anonymous = new ApiClient(stack.gateway.url);
    const signedOut = await fetch(`${stack.gateway.url}/api/v2/competitions/titanic-survival/submissions`, {
      method: 'POST',
      headers: { origin: ALLOWED_ORIGIN, 'x-forwarded-for': anonymous.ip },
      body: form,
    });
    expect(signedOut.status).toBe(401);
    const foreign = await fetch(`${stack.gateway.url}/api/v2/competitions/titanic-survival/submissions`, {
      method: 'POST',
      headers: { cookie: dee.cookie!, origin: 'https://evil.example' },
      body: form,
    });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { code: string }).code).toBe('ORIGIN_NOT_ALLOWED');
  });

  it('accepts exactly the daily cap out of 100 concurrent submits', async () => {
    const eve = new ApiClient(stack.gateway.url);
    await eve.signUp(uniqueEmail('eve'));
    if (rsna.truth.kind !== 'boxes') throw new Error('boxes expected');
    const csv = `patientId,PredictionString\n${[...rsna.truth.boxes.keys()].map((id) => `${id},`).join('\n')}\n`;
    const answers = await Promise.all(Array.from({ length: 100 }, () => upload(eve, 'rsna-pneumonia-detection', csv)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(95);
    const refused = answers.find((a) => a.status === 429)!;
    const refusal = refused.body;
    expect(refusal).toMatchObject({ code: 'QUOTA_EXCEEDED', limit: 5, remaining: 0 });
    // When to come back: the seconds until 00:00 UTC.
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(Math.abs(Date.now() + retryAfter * 1000 - Date.parse(refusal.resetsAt))).toBeLessThan(5_000);
    // At the cap, a broken file still hears what is wrong with it.
    const broken = await upload(eve, 'rsna-pneumonia-detection', 'patientId,PredictionString\nabc,0.5 1 2\n');
    expect(broken.status).toBe(422);
    expect(broken.body.detail).toBe(
      'Line 2: PredictionString has 3 numbers; it needs groups of 5 (confidence x y width height)',
    );
    expect(refusal.detail).toMatch(
      /^Daily limit reached: 5 of 5 submissions to rsna-pneumonia-detection used today \(UTC\); 0 remaining until \d{4}-\d\d-\d\dT00:00:00\.000Z$/,
    );
    const eveId = (await eve.get('/api/v2/me')).body.data.id;
    expect(await stack.competition.knex('submissions').where({ user_id: eveId }).count({ n: '*' })).toEqual([{ n: 5 }]);
  }, 60_000);

  it('a worker killed mid-score is retried after restart, and the submission gets exactly one score', async () => {
    const fay = new ApiClient(stack.gateway.url);
    await fay.signUp(uniqueEmail('fay'));
    if (rsna.truth.kind !== 'boxes') throw new Error('boxes expected');
    // A heavy but valid file (many boxes per image) keeps the worker busy long enough to be killed.
    const boxes = Array.from({ length: 100 }, (_, i) => `0.${(i % 9) + 1} ${i} ${i} 50 60`).join(' ');
    const csv = `patientId,PredictionString\n${[...rsna.truth.boxes.keys()].map((id) => `${id},${boxes}`).join('\n')}\n`;
    const accepted = await upload(fay, 'rsna-pneumonia-detection', csv);
    expect(accepted.status).toBe(201);
    const id = accepted.body.data.id as string;
    // Polled tightly: the kill must land inside the scoring window.
    const deadline = Date.now() + 20_000;
    while ((await submissionRow(id)).status !== 'scoring') {
      if (Date.now() > deadline) throw new Error('scoring never started');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await worker.kill();
    expect((await submissionRow(id)).status).toBe('scoring');

    worker = await startScoringWorker(stack, holdoutsDir, {
      SCORING_LOCK_SECONDS: '2',
      SCORING_SWEEP_INTERVAL_SECONDS: '1',
      SCORING_STALE_SECONDS: '2',
    });
    const row = await until('the retried score', 60_000, async () => {
      const current = await submissionRow(id);
      return current.status === 'scored' ? current : undefined;
    });
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(await stack.competition.knex('submission_scores').where({ submission_id: id }).count({ n: '*' })).toEqual([
      { n: 1 },
    ]);
  }, 120_000);

  it('re-enqueues a queued submission whose job Redis lost', async () => {
    const gus = new ApiClient(stack.gateway.url);
    await gus.signUp(uniqueEmail('gus'));
    await worker.stop();
    const accepted = await upload(
      gus,
      'titanic-survival',
      titanicCsv(() => '0'),
    );
    const id = accepted.body.data.id as string;
    // Redis forgets the job (flushed, restarted without persistence): only the row remains.
    const queue = new Queue(stack.pipeline.scoringQueue, process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0');
    await (await queue.getJob(id))!.remove();
    await queue.close();
    worker = await startScoringWorker(stack, holdoutsDir, {
      SCORING_SWEEP_INTERVAL_SECONDS: '1',
      SCORING_STALE_SECONDS: '1',
    });
    const row = await settled(id);
    expect(row.status).toBe('scored');
    expect(worker.output()).toMatch(/enqueued scoring again for rows without a live job/);
  }, 60_000);

  it('scores again, at the next worker start, every submission scored against holdouts since replaced', async () => {
    const hal = new ApiClient(stack.gateway.url);
    await hal.signUp(uniqueEmail('hal'));
    const accepted = await upload(
      hal,
      'titanic-survival',
      titanicCsv((l) => l),
    );
    const id = accepted.body.data.id as string;
    await settled(id);
    const before = await stack.competition.knex('submission_scores').where({ submission_id: id }).first();
    expect(before).toMatchObject({ primary_score: 1, holdout_sha256: titanic.sha256 });

    // New secret holdouts (an install moving off reproducible ones, or the real labels imported).
    await worker.stop();
    const replaced = mkdtempSync(path.join(tmpdir(), 'mf-test-holdouts-replaced-'));
    generateHoldouts(replaced);
    const newTitanic = loadHoldouts(replaced).get('titanic-survival')!;
    expect(newTitanic.sha256).not.toBe(titanic.sha256);
    worker = await startScoringWorker(stack, replaced, { SCORING_SWEEP_INTERVAL_SECONDS: '1' });
    const after = await until('the score against the new holdouts', 30_000, async () => {
      const score = await stack.competition.knex('submission_scores').where({ submission_id: id }).first();
      return score?.holdout_sha256 === newTitanic.sha256 ? score : undefined;
    });
    // The old perfect file is no longer perfect: the labels it matched are gone.
    expect(after.primary_score).toBeLessThan(0.9);
    expect((await submissionRow(id)).status).toBe('scored');
    expect(worker.output()).toMatch(/holdouts replaced: scoring these submissions again/);
    expect(await stack.competition.knex('submission_scores').where({ submission_id: id }).count({ n: '*' })).toEqual([
      { n: 1 },
    ]);
  }, 60_000);
});
