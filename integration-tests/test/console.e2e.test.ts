import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateHoldouts, loadHoldouts } from '@medforge/competition';
import { type Browser, chromium, type Page } from 'playwright-core';

import { uniqueEmail } from '../testkit/client';
import { type DevCaddy, freePort, startDevCaddy } from '../testkit/caddy';
import { devPackImageId, unreadablePackImageId } from '../testkit/pack';
import { startScoringWorker, type WorkerProcess } from '../testkit/scoring-worker';
import { startTestStack, type TestStack } from '../testkit/stack';

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
  const email = uniqueEmail('console');

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

  const onPath = (pathname: string) => page.waitForURL((u) => u.pathname === pathname);

  it('sends a visitor to sign in, shows competitions to anyone, and signs up onto the dashboard', async () => {
    await page.goto(`${url}/sessions`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/sessions');
    await shot('sign-in');

    await page.getByRole('link', { name: 'Competitions' }).click();
    await page.getByRole('link', { name: 'Titanic: who survived?' }).waitFor();
    await shot('competitions');
    await page.goto(`${url}/no/such/page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();

    await page.goto(`${url}/`);
    await page.getByRole('button', { name: 'No account yet? Sign up' }).click();
    await page.getByLabel('Email').fill(email);
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
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText('No active sessions.').waitFor();
    await page.getByText('7 of 7 GPUs free').waitFor();
    await page.getByText('No submissions yet.').waitFor();
    // The page's heading takes the focus after a navigation (keyboard and screen-reader users).
    // Expressions as strings: they run in the browser, and this package is typed for Node.
    expect(await page.evaluate('document.activeElement?.tagName')).toBe('H1');
    await shot('dashboard-empty');
  }, 60_000);

  it('adds an SSH key on the Account page, shows its fingerprint, refuses a bad one, and deletes it', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await onPath('/account');
    await page.getByText('No keys yet').waitFor();
    const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'mf-e2e-key-')), 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'e2e@laptop', '-f', keyFile]);
    const fingerprint = execFileSync('ssh-keygen', ['-lf', `${keyFile}.pub`])
      .toString()
      .split(' ')[1]!;

    await page.getByLabel('Key name').fill('laptop');
    await page.getByLabel('Public key').fill('ssh-dss AAAAB3NzaC1kc3MAAACBAP nope');
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('Public key').inputValue()).toContain('ssh-dss');

    await page.getByLabel('Public key').fill(readFileSync(`${keyFile}.pub`, 'utf8'));
    await page.getByRole('button', { name: 'Add key' }).click();
    const row = page.locator(`tr[data-key="${fingerprint}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('ssh-ed25519');
    await shot('account-ssh-keys');
    await row.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: /^Delete the key laptop/ })
      .getByRole('button', { name: 'Delete key' })
      .click();
    await row.waitFor({ state: 'detached' });
    await page.getByText('No keys yet').waitFor();

    // A public name of one's own, and an API token: shown once, working without the browser, revoked.
    await page.locator('input[name=display-name]').fill('Ada L.');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.locator('.toasts').getByText('Your public name is now Ada L.').waitFor();
    await page.getByLabel('Token name').fill('notebook');
    await page.getByRole('checkbox', { name: /^Submit/ }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.locator('[data-token]').textContent())!.trim();
    expect(secret).toMatch(/^mf_pat_/);
    await shot('account-api-token');
    const asScript = () => fetch(`${stack.gateway.url}/api/v2/me`, { headers: { authorization: `Bearer ${secret}` } });
    const me = (await (await asScript()).json()) as { data: { display_name: string } };
    expect(me.data.display_name).toBe('Ada L.');
    await page.getByRole('button', { name: 'Done' }).click();
    const tokenRow = page.locator('tr[data-token-id]', { hasText: 'notebook' });
    expect(await tokenRow.textContent()).toContain('read, submit');
    await tokenRow.getByRole('button', { name: 'Revoke' }).click();
    await page
      .getByRole('dialog', { name: /^Revoke the token notebook/ })
      .getByRole('button', { name: 'Revoke token' })
      .click();
    await tokenRow.waitFor({ state: 'detached' });
    expect((await asScript()).status).toBe(401);
  }, 60_000);

  it('starts a session that turns RUNNING without a reload, stops it, and lists it with its snapshot', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sessions' }).click();
    await onPath('/sessions');
    await page.getByRole('heading', { name: 'Start a session' }).waitFor();
    expect(await page.getByRole('radio', { name: /^Internal/ }).isDisabled()).toBe(true);
    await page.locator('select[name=pack] option', { hasText: '(default)' }).waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Start a session' }).click();
    const item = page.locator('li[data-session]');
    await item.getByText('RUNNING').waitFor({ timeout: 90_000 });
    const slug = (await item.getAttribute('data-session'))!;
    expect(await item.getByRole('link', { name: 'Open VS Code' }).getAttribute('href')).toBe(
      `http://s-${slug}.external.medforge.localhost:${caddy.port}/`,
    );
    // The outcome of the click arrives later, and is told in a toast.
    await page.locator('.toasts').getByText(`Session ${slug} is running`).waitFor();
    // Its limits, and its GPU's telemetry (virtual GPUs have none and say so).
    await item.getByText(/\/dev\/shm \d/).waitFor();
    await item.getByText('virtual, no telemetry', { exact: false }).waitFor();
    await shot('session-running');

    await item.getByRole('button', { name: 'Stop' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop and snapshot the workspace?' });
    await dialog.waitFor();
    await shot('confirm-dialog');
    await dialog.getByRole('button', { name: 'Yes, stop' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const past = page.locator(`tr[data-session="${slug}"]`);
    await past.getByText('STOPPED').waitFor({ timeout: 60_000 });
    expect(await past.locator('code.snapshot').textContent()).toMatch(new RegExp(`^stop-\\d+-${slug}$`));
    await page.getByText('No active sessions.').waitFor();
    await page
      .locator('.toasts')
      .getByText(new RegExp(`Session ${slug} stopped; home saved as snapshot stop-\\d+-${slug}`))
      .waitFor();
    // The home's snapshots list it with its session, and it can be deleted after a confirmation.
    const snapshot = page.locator('tr[data-snapshot]', { has: page.locator('code', { hasText: slug }) });
    await snapshot.waitFor();
    await shot('sessions-past');
    await snapshot.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: /^Delete the snapshot of/ });
    await confirm.getByRole('button', { name: 'Delete snapshot' }).click();
    await snapshot.waitFor({ state: 'detached' });
    await page
      .locator('.toasts')
      .getByText(/^Snapshot stop-\d+-\w+ deleted$/)
      .waitFor();
    // The past session no longer names a snapshot that is gone.
    await past.getByText('none').waitFor();
  }, 200_000);

  it('submits a CSV and sees it scored, with the own row highlighted on the leaderboard', async () => {
    const titanic = loadHoldouts(holdoutsDir).get('titanic-survival')!;
    if (titanic.truth.kind !== 'labels') throw new Error('labels expected');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'mf-e2e-csv-')), 'my-predictions.csv');
    writeFileSync(
      file,
      `PassengerId,Survived\n${[...titanic.truth.labels].map(([id, l]) => `${id},${l}`).join('\n')}\n`,
    );

    await page.getByRole('link', { name: 'Competitions' }).click();
    await page.getByRole('link', { name: 'Titanic: who survived?' }).click();
    await onPath('/competitions/titanic-survival');
    await page.getByRole('heading', { name: 'Titanic: who survived?' }).waitFor();
    await page.getByText('10 of 10 submissions left today').waitFor();
    await page.getByLabel('Drop a CSV here, or choose one').setInputFiles(file);
    const mine = page.locator('li[data-submission]').first();
    await mine.getByText('SCORED').waitFor({ timeout: 30_000 });
    await mine.getByText('score 1.0000').waitFor();
    await page.locator('tr.mine').getByText('(you)').waitFor({ timeout: 10_000 });
    await page.getByText('Your rank: 1 of 1').waitFor();
    await page.locator('.toasts').getByText('my-predictions.csv scored 1.0000').waitFor();
    // The charts follow the scoring event: the viewer's scores over time and their place in the spread.
    await page
      .locator('[data-summary=scores]')
      .getByText('1 scored submission; best 1.0000, latest 1.0000.')
      .waitFor({ state: 'attached' });
    await page
      .locator('[data-summary=distribution]')
      .getByText('1 user on the leaderboard; your best score is in 0.95–1.00 with 0 others.')
      .waitFor();
    expect(await page.getByRole('img', { name: /scored submission/ }).count()).toBe(1);
    await page.getByText('9 of 10 submissions left today').waitFor();
    await shot('competition-scored');

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.locator('tr[data-submission]').getByText('SCORED').waitFor();
    await shot('dashboard');
  }, 60_000);

  it('gives admins their pages: users, all sessions with force stop, GPUs, rescore, Sandbox', async () => {
    await page.goto(`${url}/admin/gpus`);
    await page.getByText('/admin/gpus is for administrators only.').waitFor();
    // Promoted by hand (as the admin CLI does for the first admin); the new role comes with the next login.
    await stack.identity.knex('users').where({ email }).update({ role: 'admin' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.goto(`${url}/admin/users`);
    const admin = page.getByRole('navigation', { name: 'Administration' });
    expect(await admin.getByRole('link', { name: 'Apollo Sandbox' }).getAttribute('href')).toBe('/graphql');

    await page.getByLabel('Email or name').fill(email);
    await page.getByRole('button', { name: 'Search' }).click();
    const me = page.locator(`tr[data-user="${email}"]`);
    await me.getByText('not allowed').waitFor();
    await me.getByRole('button', { name: `Grant internal sessions for ${email}` }).click();
    await me.getByText('allowed', { exact: true }).waitFor();
    await page.getByLabel('Email or name').fill('nobody-matches-this');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No user matches “nobody-matches-this”.').waitFor();
    await page.getByLabel('Email or name').fill(email);
    await page.getByRole('button', { name: 'Search' }).click();
    await me.waitFor();
    await shot('admin-users');

    await admin.getByRole('link', { name: 'GPUs' }).click();
    const gpu = page.locator('tr[data-gpu="6"]');
    await gpu.getByRole('button', { name: 'Disable GPU 6' }).click();
    await gpu.getByText('disabled').waitFor();
    await shot('admin-gpus');
    await gpu.getByRole('button', { name: 'Enable GPU 6' }).click();
    await gpu.getByText('enabled').waitFor();

    // A session started now, force-stopped from the admin list while it runs, followed live.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sessions' }).click();
    // The page refreshes the account (the entitlement may be new) after it shows: wait for that.
    await page.locator('input[name=exposure][value=INTERNAL]:not([disabled])').waitFor();
    await page.getByRole('button', { name: 'Start a session' }).click();
    const started = page.locator('li[data-session]');
    await started
      .getByText('RUNNING')
      .waitFor({ timeout: 90_000 })
      .catch(async (error: Error) => {
        await shot('failure-admin-session-start');
        throw new Error(`${error.message}\nthe page said:\n${await page.locator('main').innerText()}`);
      });
    const slug = (await started.getAttribute('data-session'))!;
    await admin.getByRole('link', { name: 'All sessions' }).click();
    const row = page.locator(`tr[data-session="${slug}"]`);
    await row.getByText('RUNNING').waitFor();
    await shot('admin-sessions');
    await row.getByRole('button', { name: 'Force stop' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, stop it' }).click();
    await row.getByText('STOPPED').waitFor({ timeout: 60_000 });

    await admin.getByRole('link', { name: 'Submissions' }).click();
    await page.getByLabel('Competition').selectOption('titanic-survival');
    const submission = page.locator('tr[data-submission]').first();
    await submission.getByText('SCORED').waitFor();
    await submission.getByRole('button', { name: 'Rescore' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, rescore' }).click();
    await submission.getByText('1.0000').waitFor({ timeout: 30_000 });
    await submission.getByText('SCORED').waitFor();
    await shot('admin-submissions');
  }, 200_000);

  it('shows a session that cannot start where it was started, with its cause and a retry', async () => {
    await stack.sessionRuntime.knex('packs').insert({
      id: randomUUID(),
      name: 'unreadable',
      image_ref: unreadablePackImageId(),
      description: 'A pack whose code-server the session user cannot read',
      is_default: false,
    });
    await page.goto(`${url}/sessions`);
    await page
      .locator('select[name=pack] option', { hasText: 'unreadable' })
      .waitFor({ state: 'attached' })
      .catch(async (error: Error) => {
        await shot('failure-unreadable-pack');
        throw new Error(`${error.message}\nthe page said:\n${await page.locator('main').innerText()}`);
      });
    await page.locator('select[name=pack]').selectOption({ label: 'unreadable' });
    await page.getByRole('button', { name: 'Start a session' }).click();
    const failure = page.getByRole('alert').filter({ hasText: 'could not start' });
    await failure.getByText('code-server: not found').waitFor({ timeout: 30_000 });
    expect(await failure.innerText()).toContain('the container exited with code 127 while starting');
    await shot('session-start-failure');
    const first = await failure.getByRole('heading').innerText();
    await failure.getByRole('button', { name: 'Try again' }).click();
    // A new attempt: a new session, which fails the same way under its own name.
    await page.locator('#start-failure-heading', { hasNotText: first }).waitFor({ timeout: 30_000 });
    await failure.getByRole('button', { name: 'Dismiss' }).click();
    await failure.waitFor({ state: 'detached' });
  }, 90_000);

  it('follows a dark theme choice and fits a phone screen', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByLabel('Theme').selectOption('dark');
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(20, 23, 27)');
    await shot('dashboard-dark');
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await page.setViewportSize({ width: 375, height: 740 });
    for (const pathname of ['/', '/sessions', '/competitions/titanic-survival', '/admin/sessions']) {
      await page.goto(`${url}${pathname}`);
      await page.locator('main h1').waitFor();
      // Wide tables scroll inside their own box; the page itself never scrolls sideways.
      const layout = await page.evaluate(`({
        scrollWidth: document.documentElement.scrollWidth,
        overflowing: [...document.querySelectorAll('body *')]
          .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
          .filter((element) => !element.closest('.table-wrap'))
          .map((element) => element.tagName + '.' + element.className + ': ' + element.textContent?.slice(0, 40)),
      })`);
      expect({ pathname, ...(layout as object) }).toEqual({ pathname, scrollWidth: 375, overflowing: [] });
    }
    await shot('sessions-phone');
    await page.getByLabel('Theme').selectOption('system');
    await page.setViewportSize({ width: 1200, height: 800 });
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
