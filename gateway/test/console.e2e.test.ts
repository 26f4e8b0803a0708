import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateHoldouts, loadHoldouts } from '@medforge/competition';
import { type Browser, chromium, type Page } from 'playwright-core';

import { uniqueEmail } from './support/client';
import { type DevCaddy, freePort, startDevCaddy } from './support/caddy';
import { devPackImageId } from './support/pack';
import { startScoringWorker, type WorkerProcess } from './support/scoring-worker';
import { startTestStack, type TestStack } from './support/stack';

const REPO = path.resolve(__dirname, '..', '..');
const UI_DIST = path.join(REPO, 'ui', 'dist');
const SCREENSHOTS = path.join(REPO, 'artifacts', 'screenshots');

/** The built Vue console through Caddy against the real stack, driven by headless Debian Chromium. */
describe('console end to end in headless Chromium', () => {
  let stack: TestStack;
  let caddy: DevCaddy;
  let browser: Browser;
  let page: Page;
  let url: string;
  let worker: WorkerProcess;
  let holdoutsDir: string;

  const shot = (name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `console-${name}.png`), fullPage: true });

  beforeAll(async () => {
    if (!existsSync(path.join(UI_DIST, 'index.html')))
      throw new Error(`${UI_DIST} is missing: run npm run build first`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    const port = await freePort();
    url = `http://medforge.localhost:${port}`;
    // The console's origin must be the platform's own, or every mutation is refused.
    stack = await startTestStack({
      MEDFORGE_PUBLIC_URL: url,
      MEDFORGE_DEFAULT_PACK_IMAGE: devPackImageId(),
      SESSION_UPSTREAM_ADDRESSING: 'container-ip',
      SESSION_STOP_GRACE_SECONDS: '1',
      // The browser always comes from 127.0.0.1 (through Caddy); runs must not add up to a lockout.
      LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
    });
    holdoutsDir = mkdtempSync(path.join(tmpdir(), 'mf-e2e-holdouts-'));
    generateHoldouts(holdoutsDir);
    worker = await startScoringWorker(stack, holdoutsDir);
    caddy = await startDevCaddy(Number(new URL(stack.gateway.url).port), { port, uiDist: UI_DIST });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
    });
    page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await caddy?.stop();
    await worker?.stop();
    await stack?.stop();
  });

  it('signs up, starts a session that turns RUNNING without a reload, and stops it', async () => {
    await page.goto(`${url}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('GPUs free: 7 of 7').waitFor();
    await shot('sign-in');

    await page.getByRole('button', { name: 'No account yet? Sign up' }).click();
    await page.getByLabel('Email').fill(uniqueEmail('console'));
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();
    // The browser's own validation keeps a too-short password from being sent.
    expect(
      await page
        .getByLabel('Password')
        .evaluate((input) => (input as unknown as { validity: { tooShort: boolean } }).validity.tooShort),
    ).toBe(true);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();
    await page.getByText('No sessions yet.').waitFor();

    await page.getByRole('button', { name: 'Start a session' }).click();
    const item = page.locator('li[data-session]');
    await item.getByText('RUNNING').waitFor({ timeout: 90_000 });
    const slug = await item.getAttribute('data-session');
    expect(await item.getByRole('link', { name: 'Open VS Code' }).getAttribute('href')).toBe(
      `http://s-${slug}.external.medforge.localhost:${caddy.port}/`,
    );
    await shot('session-running');

    await item.getByRole('button', { name: 'Stop' }).click();
    await item.getByRole('button', { name: 'Yes, stop' }).click();
    await item.getByText('STOPPED').waitFor({ timeout: 60_000 });
    await shot('session-stopped');
  }, 200_000);

  it('submits a CSV and sees it scored, with the own row highlighted on the leaderboard', async () => {
    const titanic = loadHoldouts(holdoutsDir).get('titanic-survival')!;
    if (titanic.truth.kind !== 'labels') throw new Error('labels expected');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'mf-e2e-csv-')), 'my-predictions.csv');
    writeFileSync(
      file,
      `PassengerId,Survived\n${[...titanic.truth.labels].map(([id, l]) => `${id},${l}`).join('\n')}\n`,
    );

    await page.getByRole('button', { name: 'Titanic: who survived?' }).click();
    await page.getByRole('heading', { name: 'Titanic: who survived?' }).waitFor();
    await page.getByText('10 of 10 submissions left today').waitFor();
    await page.getByLabel('Drop a CSV here, or choose one').setInputFiles(file);
    const mine = page.locator('li[data-submission]').first();
    await mine.getByText('SCORED').waitFor({ timeout: 30_000 });
    await mine.getByText('score 1.0000').waitFor();
    await page.locator('tr.mine').getByText('(you)').waitFor({ timeout: 10_000 });
    await shot('competition-scored');
    await page.getByText('Your rank: 1 of 1').waitFor();
  }, 60_000);

  it("shows the API's error text for a wrong password", async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // A fresh address: failed logins per account are counted in Redis across runs.
    await page.getByLabel('Email').fill(uniqueEmail('nobody'));
    await page.getByLabel('Password').fill('wrong password here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Email or password is incorrect').waitFor();
    await shot('sign-in-error');
  }, 60_000);
});
