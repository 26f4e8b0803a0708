import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { ApiClient, uniqueEmail } from '../testkit/client';
import { startTestStack, type TestStack } from '../testkit/stack';
import { makeAdmin } from '../testkit/seed';

const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'artifacts', 'screenshots');

/** The offline IDE: GraphiQL from the gateway's own assets, for those who may explore the API. */
describe('GraphQL IDE without internet (GRAPHQL_IDE=graphiql)', () => {
  let stack: TestStack;
  let admin: ApiClient;
  let user: ApiClient;

  beforeAll(async () => {
    stack = await startTestStack({ MEDFORGE_ENV: 'production', GRAPHQL_IDE: 'graphiql' });
    admin = new ApiClient(stack.gateway.url);
    user = new ApiClient(stack.gateway.url);
    const adminId = await admin.signUp(uniqueEmail('ide-admin'));
    await user.signUp(uniqueEmail('ide-user'));
    await makeAdmin(stack, adminId);
  });
  afterAll(() => stack?.stop());

  const get = (pathname: string, cookie: string | null, accept = 'text/html') =>
    fetch(`${stack.gateway.url}${pathname}`, {
      headers: { accept, ...(cookie ? { cookie } : {}) },
      redirect: 'manual',
    });

  it('sends administrators from /graphql to GraphiQL, and refuses everyone else', async () => {
    const page = await get('/graphql', admin.cookie);
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/graphql/ide/');
    expect((await get('/graphql/ide/', admin.cookie)).status).toBe(200);
    expect((await get('/graphql/ide/assets/graphiql.js', admin.cookie)).status).toBe(200);
    for (const pathname of ['/graphql', '/graphql/ide/', '/graphql/ide/assets/graphiql.js']) {
      expect((await get(pathname, user.cookie)).status).toBe(403);
      expect((await get(pathname, null)).status).toBe(401);
    }
    expect((await get('/graphql/ide/assets/..%2F..%2Fpackage.json', admin.cookie)).status).toBe(404);
  });

  it('runs a query in GraphiQL in Chromium with every request staying on the gateway', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const elsewhere: string[] = [];
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      // Nothing may leave the machine: any other address is refused and recorded.
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(stack.gateway.url)) return route.continue();
        elsewhere.push(url);
        return route.abort();
      });
      const [name, value] = admin.cookie!.split('=') as [string, string];
      await context.addCookies([{ name, value, url: stack.gateway.url }]);
      const page = await context.newPage();
      const query = '{ competitions { slug } }';
      await page.goto(`${stack.gateway.url}/graphql/ide/?query=${encodeURIComponent(query)}`);
      await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
      await page.locator('.graphiql-execute-button').click();
      await page.locator('.result-window').getByText('titanic-survival').waitFor({ timeout: 30_000 });
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'graphiql-offline.png') });
      expect(elsewhere).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});

describe('GraphQL IDE chosen automatically (GRAPHQL_IDE=auto, the default)', () => {
  let stack: TestStack;
  let user: ApiClient;

  beforeAll(async () => {
    stack = await startTestStack({ MEDFORGE_ENV: 'development' });
    user = new ApiClient(stack.gateway.url);
    await user.signUp(uniqueEmail('ide-auto'));
  });
  afterAll(() => stack?.stop());

  it('serves Sandbox with a fallback to the offline GraphiQL when the CDN cannot be loaded', async () => {
    const page = await fetch(`${stack.gateway.url}/graphql`, {
      headers: { accept: 'text/html', cookie: user.cookie! },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('embeddable-sandbox.cdn.apollographql.com');
    expect(html).toMatch(/onerror="offline\(\)"/);
    expect(html).toContain('location.replace("/graphql/ide/")');
    expect((await fetch(`${stack.gateway.url}/graphql/ide/`, { headers: { cookie: user.cookie! } })).status).toBe(200);
  });
});
