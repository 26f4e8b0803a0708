import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { type ApiClient } from '../testkit/client';
import { type InstalledData, installGeneratedData } from '../testkit/data';
import { signedUpUser } from '../testkit/flows';
import { startTestStack, type TestStack } from '../testkit/stack';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Datasets end to end on the real stack: listing with sizes and checksums from the manifests, downloads
 * through the gateway streamed from the competition subgraph (Range, If-Range, 304, 416, HEAD), only
 * signed in and only files a manifest lists, and uploads checked against the published test ids.
 */
describe('datasets', () => {
  let stack: TestStack;
  let data: InstalledData;
  let user: ApiClient;

  beforeAll(async () => {
    data = await installGeneratedData();
    stack = await startTestStack(data.env);
    user = (await signedUpUser(stack, 'data')).client;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(path.dirname(data.holdoutsDir), { recursive: true, force: true });
  });

  /** A raw GET (or HEAD) as the signed-in user, or anonymously. */
  async function download(url: string, headers: Record<string, string> = {}, method = 'GET', signedIn = true) {
    const response = await fetch(`${stack.gateway.url}${url}`, {
      method,
      headers: { ...(signedIn && user.cookie ? { cookie: user.cookie } : {}), ...headers },
    });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  }

  const fileUrl = (dataset: string, part: string, name: string) => `/api/v2/datasets/${dataset}/files/${part}/${name}`;

  it('lists every dataset with its files, sizes, checksums, description and where sessions find it', async () => {
    const listed = await user.get('/api/v2/datasets');
    expect(listed.status).toBe(200);
    const titanic = listed.body.data.find((d: { slug: string }) => d.slug === 'titanic');
    expect(titanic).toMatchObject({
      origin: 'GENERATED',
      training_session_path: '/data/training/titanic',
      public_eval_session_path: '/data/public-eval/titanic',
      description: expect.stringContaining('| Column | Meaning |'),
    });
    const onDisk = readFileSync(path.join(data.publicEvalRoot, 'titanic', 'test.csv'));
    expect(titanic.files).toEqual([
      expect.objectContaining({
        part: 'training',
        name: 'train.csv',
        session_path: '/data/training/titanic/train.csv',
      }),
      expect.objectContaining({
        part: 'public-eval',
        name: 'test.csv',
        size_bytes: onDisk.length,
        sha256: sha256(onDisk),
        download_url: fileUrl('titanic', 'public-eval', 'test.csv'),
      }),
      expect.objectContaining({ part: 'public-eval', name: 'sample_submission.csv' }),
    ]);
    const cifar = listed.body.data.find((d: { slug: string }) => d.slug === 'cifar-100');
    expect(cifar.files.map((f: { name: string }) => f.name)).toEqual([
      'train_images.npy',
      'train_labels.csv',
      'test_images.npy',
      'sample_submission.csv',
    ]);
    const competition = await user.graphql(
      '{ competition(slug: "rsna-pneumonia-detection") { sampleSubmission { name downloadUrl sessionPath } } }',
    );
    expect(competition.body.data.competition.sampleSubmission).toEqual({
      name: 'stage_2_sample_submission.csv',
      downloadUrl: fileUrl('rsna-pneumonia', 'public-eval', 'stage_2_sample_submission.csv'),
      sessionPath: '/data/public-eval/rsna-pneumonia/stage_2_sample_submission.csv',
    });
  });

  it('downloads a file whole, with its checksum as ETag and Repr-Digest', async () => {
    const expected = readFileSync(path.join(data.trainingRoot, 'titanic', 'train.csv'));
    const answer = await download(fileUrl('titanic', 'training', 'train.csv'));
    expect(answer.status).toBe(200);
    expect(sha256(answer.body)).toBe(sha256(expected));
    expect(answer.headers.get('etag')).toBe(`"${sha256(expected)}"`);
    expect(answer.headers.get('repr-digest')).toBe(
      `sha-256=:${createHash('sha256').update(expected).digest('base64')}:`,
    );
    expect(answer.headers.get('accept-ranges')).toBe('bytes');
    expect(answer.headers.get('content-length')).toBe(String(expected.length));
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename="train.csv"');
    const head = await download(fileUrl('titanic', 'training', 'train.csv'), {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(expected.length));
    expect(head.body.length).toBe(0);
  });

  it('resumes with Range and If-Range, answers 304 to a matching If-None-Match, 416 outside the file', async () => {
    const url = fileUrl('titanic', 'public-eval', 'test.csv');
    const whole = readFileSync(path.join(data.publicEvalRoot, 'titanic', 'test.csv'));
    const etag = `"${sha256(whole)}"`;
    const part = await download(url, { range: 'bytes=100-199', 'if-range': etag });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`);
    expect(part.body.equals(whole.subarray(100, 200))).toBe(true);
    // A validator that no longer matches (the file changed): the whole file, not a wrong piece.
    const stale = await download(url, { range: 'bytes=100-199', 'if-range': '"0000"' });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBe(whole.length);
    expect((await download(url, { 'if-none-match': etag })).status).toBe(304);
    const outside = await download(url, { range: `bytes=${whole.length + 10}-` });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${whole.length}`);
    expect(JSON.parse(outside.body.toString())).toMatchObject({ code: 'RANGE_NOT_SATISFIABLE', status: 416 });
  });

  it('streams a 150 MB file intact, and a client that goes away mid-download harms nothing', async () => {
    const file = path.join(data.trainingRoot, 'cifar-100', 'train_images.npy');
    const expected = sha256(readFileSync(file));
    const answer = await download(fileUrl('cifar-100', 'training', 'train_images.npy'));
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBe(153_600_128);
    expect(sha256(answer.body)).toBe(expected);
    // Read a little, then hang up.
    await new Promise<void>((resolve, reject) => {
      const request = http.get(
        `${stack.gateway.url}${fileUrl('cifar-100', 'training', 'train_images.npy')}`,
        { headers: { cookie: user.cookie! } },
        (res) => {
          res.once('data', () => {
            request.destroy();
            resolve();
          });
        },
      );
      request.on('error', (error) => (request.destroyed ? resolve() : reject(error)));
    });
    expect((await download(fileUrl('titanic', 'training', 'train.csv'))).status).toBe(200);
  });

  it('serves only signed-in users, and only files a manifest lists (never the holdouts)', async () => {
    const anonymous = await download(fileUrl('titanic', 'training', 'train.csv'), {}, 'GET', false);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // A file put beside the data but not in the manifest, the manifest itself, other parts, escapes.
    writeFileSync(path.join(data.publicEvalRoot, 'titanic', 'extra.csv'), 'not published\n');
    for (const url of [
      fileUrl('titanic', 'public-eval', 'extra.csv'),
      fileUrl('titanic', 'public-eval', 'manifest.json'),
      fileUrl('titanic', 'training', 'test.csv'),
      fileUrl('titanic', 'holdouts', 'titanic-survival.csv'),
      fileUrl('titanic', 'public-eval', '..%2F..%2Fholdouts%2Fsecret'),
      fileUrl('titanic', 'public-eval', '.hidden'),
      fileUrl('no-such-dataset', 'training', 'train.csv'),
    ]) {
      const refused = await download(url);
      expect({ url, status: refused.status }).toEqual({ url, status: 404 });
      expect(refused.body.toString()).not.toContain('not published');
    }
    expect((await download('/api/v2/datasets/Bad_Slug/files/training/train.csv')).status).toBe(400);
    // The subgraph's own route wants the gateway's signature.
    const direct = await fetch(new URL('/http/datasets/titanic/files/training/train.csv', stack.competition.url));
    expect(direct.status).toBe(401);
  });

  it('checks uploads against the published test ids at once: an id outside them costs no slot', async () => {
    const rows = ['PassengerId,Survived'];
    for (let id = 892; id <= 1308; id++) rows.push(`${id},0`);
    rows.push('9999,1');
    const form = new FormData();
    form.append('file', new Blob([`${rows.join('\n')}\n`], { type: 'text/csv' }), 'p.csv');
    const refused = await fetch(`${stack.gateway.url}/api/v2/competitions/titanic-survival/submissions`, {
      method: 'POST',
      headers: { cookie: user.cookie!, origin: user.origin!, 'x-forwarded-for': user.ip },
      body: form,
    });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
      detail: 'Line 419: PassengerId "9999" is not in the test set',
      line: 419,
    });
    const cap = await user.graphql('{ competition(slug: "titanic-survival") { myCap { used } } }');
    expect(cap.body.data.competition.myCap.used).toBe(0);
  });
});
