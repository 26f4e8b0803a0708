import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  type Actor,
  createLogger,
  FailureBudget,
  type Knex,
  openDatabase,
  SUBMISSION_EVENTS_CHANNEL,
} from '@medforge/shared-schema';
import { dropDatabase, RecordingPublisher, testDatabaseOptions } from '@medforge/shared-schema/testing';
import { randomUUID } from 'node:crypto';

import type { ArtifactStore } from '../../src/ports/artifact-store';
import { DirectoryArtifactStore } from '../../src/adapters/directory-artifact-store';
import type { TestIdSource } from '../../src/ports/submission-checker';
import { competitionMigrations } from '../../src/db/migrations';
import { SubmissionRow } from '../../src/db/models/submission.model';
import { seedCatalog } from '../../src/db/seed/catalog';
import { SubmissionEvents } from '../../src/services/submission-events';
import { InlineSubmissionChecker } from '../../src/services/inline-submission-checker';
import { SubmissionIntake } from '../../src/services/submission-intake';
import { SubmissionRescore } from '../../src/services/submission-rescore';
import { ScoringSweeper } from '../../src/worker/sweeper';
import { InMemoryScoringQueue } from '../fakes/in-memory-scoring-queue';

/**
 * Submission intake, rescoring and the sweeper with the scoring queue in memory (no Redis, no worker): the
 * cap under concurrency, a queue that is down, a Redis that forgot its jobs, files left behind by refusals.
 * The database is the real MariaDB (the cap is a conditional update there). The same flows through bull
 * and the worker process are in integration-tests/test/submissions.test.ts.
 */
describe('submission intake with an in-memory scoring queue', () => {
  const db = testDatabaseOptions('intake_unit');
  const logger = createLogger('competition', 'silent');
  const csv = Buffer.from('PassengerId,Survived\n892,0\n');
  let knex: Knex;
  let root: string;

  beforeAll(async () => {
    knex = await openDatabase(db, competitionMigrations, logger, true);
    await seedCatalog(knex, logger);
    root = await mkdtemp(path.join(tmpdir(), 'mf-intake-'));
  });

  afterAll(async () => {
    await knex?.destroy();
    await dropDatabase(db);
    await rm(root, { recursive: true, force: true });
  });

  /** Test ids as the installed data publishes them; none unless given (membership then waits for the scorer). */
  const published = (ids: Record<string, string[]> = {}): TestIdSource => ({
    testIds: (competition) => Promise.resolve(ids[competition] ? new Set(ids[competition]) : null),
  });

  function harness(
    artifacts: ArtifactStore = new DirectoryArtifactStore(root),
    testIds = published(),
    refusals = FailureBudget.inMemory({ failures: 1000, windowSeconds: 60 }),
  ) {
    const queue = new InMemoryScoringQueue();
    const publisher = new RecordingPublisher();
    const events = new SubmissionEvents(publisher, logger);
    return {
      queue,
      publisher,
      intake: new SubmissionIntake(
        knex,
        { artifacts, queue, events, checker: new InlineSubmissionChecker(testIds), refusals },
        logger,
      ),
      rescore: new SubmissionRescore(knex, queue, events),
      sweeper: new ScoringSweeper(knex, queue, 0, logger),
    };
  }

  const user = (): Actor => ({ userId: randomUUID(), role: 'user', canUseInternal: false });
  const admin: Actor = { userId: randomUUID(), role: 'admin', canUseInternal: true };
  const filesOf = async () => readdir(path.join(root, 'titanic-survival')).catch(() => [] as string[]);

  it('stores the file, inserts a QUEUED row, enqueues its job and announces it', async () => {
    const { queue, publisher, intake } = harness();
    const row = await intake.submit(user(), 'titanic-survival', '../../etc/preds.csv', csv);
    expect(row).toMatchObject({ status: 'queued', filename: 'preds.csv', size_bytes: csv.length });
    expect(queue.added).toEqual([row.id]);
    expect(publisher.statusesOf(row.id)).toEqual(['queued']);
    expect(publisher.messages[0]!.channel).toBe(SUBMISSION_EVENTS_CHANNEL);
    expect(await filesOf()).toContain(`${row.id}.csv`);
  });

  it('a queue that is down still accepts the file; the sweeper enqueues it later', async () => {
    const { queue, intake, sweeper } = harness();
    queue.failNextEnqueue();
    const row = await intake.submit(user(), 'titanic-survival', 'preds.csv', csv);
    expect(row.status).toBe('queued');
    expect(queue.jobs.has(row.id)).toBe(false);
    expect(await sweeper.sweep()).toContain(row.id);
    expect(queue.jobs.get(row.id)).toBe('waiting');
  });

  it('the sweeper leaves live jobs alone and revives rows whose job Redis forgot or finished early', async () => {
    const { queue, intake, sweeper } = harness();
    const live = await intake.submit(user(), 'titanic-survival', 'a.csv', csv);
    const forgotten = await intake.submit(user(), 'titanic-survival', 'b.csv', csv);
    const finishedEarly = await intake.submit(user(), 'titanic-survival', 'c.csv', csv);
    queue.jobs.delete(forgotten.id);
    queue.settle(finishedEarly.id, 'failed'); // the job ended but the row never left QUEUED
    const revived = await sweeper.sweep();
    expect(revived).toEqual(expect.arrayContaining([forgotten.id, finishedEarly.id]));
    expect(revived).not.toContain(live.id);
    expect(queue.jobs.get(finishedEarly.id)).toBe('waiting');
  });

  it('holds the daily cap under concurrent submits and removes the files of refused ones', async () => {
    const { queue, intake } = harness();
    const actor = user();
    const before = (await filesOf()).length;
    const results = await Promise.allSettled(
      Array.from({ length: 14 }, (_, i) => intake.submit(actor, 'titanic-survival', `p${i}.csv`, csv)),
    );
    const accepted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(accepted).toHaveLength(10); // titanic-survival's cap
    expect(refused.map((r) => (r.reason as { code: string }).code)).toEqual(Array(4).fill('QUOTA_EXCEEDED'));
    expect((await filesOf()).length - before).toBe(10);
    expect(queue.added).toHaveLength(10);
    const cap = await intake.capStatus(
      (await knex('competitions').where({ slug: 'titanic-survival' }).first())!,
      actor.userId,
    );
    expect(cap).toMatchObject({ limit: 10, used: 10, remaining: 0 });
  });

  it('refuses a file that breaks the rules before storing or counting it, with the line and reason', async () => {
    const { queue, intake } = harness();
    const actor = user();
    const before = (await filesOf()).length;
    await expect(
      intake.submit(actor, 'titanic-survival', 'p.csv', Buffer.from('PassengerId,Survived\n892,1\n892,0\n')),
    ).rejects.toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
      message: 'Line 3: PassengerId 892 appears again (first on line 2); submit one row per id',
      extensions: { line: 3 },
    });
    await expect(
      intake.submit(actor, 'titanic-survival', 'p.csv', Buffer.from('892,1\n893,0\n')),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE_CONTENT', message: expect.stringMatching(/must be the header/) });
    const boxes = Array.from({ length: 101 }, () => '0.5 10 10 50 50').join(' ');
    await expect(
      intake.submit(
        actor,
        'rsna-pneumonia-detection',
        'p.csv',
        Buffer.from(`patientId,PredictionString\nabc,${boxes}\n`),
      ),
    ).rejects.toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
      message: 'Line 2: PredictionString has more than 100 boxes; at most 100 per image are allowed',
      extensions: { line: 2 },
    });
    // Row errors of the CSV itself carry their line too.
    await expect(
      intake.submit(actor, 'titanic-survival', 'p.csv', Buffer.from('PassengerId,Survived\n892,1\n893,0,1\n')),
    ).rejects.toMatchObject({ message: 'Line 3 has 3 fields; the header has 2', extensions: { line: 3 } });
    await expect(
      intake.submit(actor, 'titanic-survival', 'p.csv', Buffer.from('PassengerId,Survived\n892,1\n\n893,0\n')),
    ).rejects.toMatchObject({ message: 'Line 3 is empty', extensions: { line: 3 } });
    // A spreadsheet is named as such, not read as a CSV with odd columns.
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), Buffer.from('[Content_Types].xml')]);
    await expect(intake.submit(actor, 'titanic-survival', 'p.xlsx', xlsx)).rejects.toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
      message: expect.stringMatching(
        /^The file is a ZIP archive \(an Excel \.xlsx workbook or a zip file\), not a CSV file/,
      ),
    });
    expect((await filesOf()).length).toBe(before);
    expect(queue.added).toEqual([]);
    const titanic = (await knex('competitions').where({ slug: 'titanic-survival' }).first())!;
    expect((await intake.capStatus(titanic, actor.userId)).used).toBe(0);
  });

  it('limits refused uploads per user: past the budget, uploads wait (RATE_LIMITED with the time left)', async () => {
    const { intake } = harness(undefined, undefined, FailureBudget.inMemory({ failures: 3, windowSeconds: 600 }));
    const [mallory, ann] = [user(), user()];
    const bad = Buffer.from('PassengerId,Survived\n892,2\n');
    for (let i = 0; i < 3; i++) {
      await expect(intake.submit(mallory, 'titanic-survival', 'bad.csv', bad)).rejects.toMatchObject({
        code: 'UNPROCESSABLE_CONTENT',
      });
    }
    // Now even a good file waits, without being read; others are not affected.
    await expect(intake.submit(mallory, 'titanic-survival', 'good.csv', csv)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^Too many refused uploads: .*; try again in \d+ seconds$/),
      extensions: { retryAfterSeconds: expect.any(Number) },
    });
    await expect(intake.submit(ann, 'titanic-survival', 'good.csv', csv)).resolves.toMatchObject({ status: 'queued' });
    // Accepted uploads spend nothing.
    for (let i = 0; i < 5; i++) await intake.submit(ann, 'titanic-survival', `ok${i}.csv`, csv);
  });

  it('with published test ids, an unknown or missing id is refused at upload, storing and counting nothing', async () => {
    const { queue, intake } = harness(undefined, published({ 'titanic-survival': ['892', '893', '894'] }));
    const actor = user();
    await expect(
      intake.submit(actor, 'titanic-survival', 'p.csv', Buffer.from('PassengerId,Survived\n892,1\n999,0\n')),
    ).rejects.toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
      message: 'Line 3: PassengerId "999" is not in the test set',
      extensions: { line: 3 },
    });
    await expect(
      intake.submit(actor, 'titanic-survival', 'p.csv', Buffer.from('PassengerId,Survived\n892,1\n893,0\n')),
    ).rejects.toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
      message: expect.stringMatching(/^3 rows expected, 2 found/),
    });
    expect(queue.added).toEqual([]);
    const row = await intake.submit(
      actor,
      'titanic-survival',
      'p.csv',
      Buffer.from('PassengerId,Survived\n894,1\n892,1\n893,0\n'),
    );
    expect(row.status).toBe('queued');
    const titanic = (await knex('competitions').where({ slug: 'titanic-survival' }).first())!;
    expect((await intake.capStatus(titanic, actor.userId)).used).toBe(1);
  });

  it('refuses a file over the size limit and an unknown competition before storing anything', async () => {
    const { intake } = harness();
    const before = (await filesOf()).length;
    await expect(
      intake.submit(user(), 'titanic-survival', 'big.csv', Buffer.alloc(1024 * 1024 + 1, 'a')),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(intake.submit(user(), 'no-such-competition', 'p.csv', csv)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await filesOf()).length).toBe(before);
  });

  it('a database failure after the file was stored removes the file again', async () => {
    const saved: string[] = [];
    const removed: string[] = [];
    const store = new DirectoryArtifactStore(root);
    const watching: ArtifactStore = {
      save: async (...args) => {
        const artifact = await store.save(...args);
        saved.push(artifact.path);
        return artifact;
      },
      read: (p) => store.read(p),
      remove: async (p) => {
        removed.push(p);
        await store.remove(p);
      },
    };
    const { intake } = harness(watching);
    const actor = user();
    // The insert fails after the file is stored (a crash or a database error at that point).
    await knex.raw(
      "CREATE TRIGGER unit_refuse_insert BEFORE INSERT ON submissions FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected insert failure'",
    );
    try {
      await expect(intake.submit(actor, 'titanic-survival', 'p.csv', csv)).rejects.toThrow('injected insert failure');
    } finally {
      await knex.raw('DROP TRIGGER unit_refuse_insert');
    }
    expect(saved).toHaveLength(1);
    expect(removed).toEqual(saved);
    // The cap unit taken in the same transaction went back with it.
    const titanic = (await knex('competitions').where({ slug: 'titanic-survival' }).first())!;
    expect((await intake.capStatus(titanic, actor.userId)).used).toBe(0);
  });

  it('rescore: a finished submission goes back to QUEUED with a fresh job; a queued one is a CONFLICT', async () => {
    const { queue, intake, rescore } = harness();
    const row = await intake.submit(user(), 'titanic-survival', 'p.csv', csv);
    await expect(rescore.rescore(admin, row.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await SubmissionRow.query(knex)
      .findById(row.id)
      .patch({ status: 'failed' as SubmissionRow['status'] });
    queue.settle(row.id, 'failed');
    const again = await rescore.rescore(admin, row.id);
    expect(again.status).toBe('queued');
    expect(queue.jobs.get(row.id)).toBe('waiting');
    await expect(rescore.rescore(user(), row.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
