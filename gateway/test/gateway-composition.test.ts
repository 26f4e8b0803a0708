import {
  type Actor,
  AUTH_INVALIDATION_CHANNEL,
  Exposure,
  hashLoginToken,
  SESSION_EVENTS_CHANNEL,
  type SessionRoute,
  SessionStatus,
} from '@medforge/shared-schema';
import { ManualClock, testEnv } from '@medforge/shared-schema/testing';

import { type GatewayApp, loadGatewayConfig, startGateway } from '../src';
import type { CredentialResolver } from '../src/auth/authenticator';
import type { Credential } from '../src/auth/credential';
import type { ResolvedCredential } from '../src/auth/identity-client';
import type { SessionRouteSource } from '../src/routing/session-route-source';
import { InMemoryEventChannels } from './fakes/in-memory-event-channels';

/**
 * The gateway's composition root with every adapter in memory (identity, session routes, events, the
 * clock): no subgraph, Redis or database is running, and the gateway still answers Caddy's forward auth,
 * drops what an invalidation or a session event says changed, and asks again once its answers expire.
 */

const DOMAIN = 'medforge.localhost';
const TOKEN = 'ada-login-token-0123456789abcdef';
const ada: Actor = { userId: 'u-ada', role: 'user', canUseInternal: false, loginSessionId: 'l-1' };

class Identity implements CredentialResolver {
  readonly answers = new Map<string, ResolvedCredential>();
  calls = 0;
  resolve(credential: Credential): Promise<ResolvedCredential | null> {
    this.calls++;
    return Promise.resolve(this.answers.get(credential.hash) ?? null);
  }
}

class Routes implements SessionRouteSource {
  readonly routes = new Map<string, SessionRoute>();
  calls = 0;
  lookup(slug: string): Promise<SessionRoute | null> {
    this.calls++;
    return Promise.resolve(this.routes.get(slug) ?? null);
  }
}

describe('the gateway composed from in-memory adapters', () => {
  const identity = new Identity();
  const routes = new Routes();
  const events = new InMemoryEventChannels();
  const clock = new ManualClock();
  let gateway: GatewayApp;

  beforeAll(async () => {
    const config = loadGatewayConfig(
      testEnv({ GATEWAY_PORT: '0', HOST: '127.0.0.1', MEDFORGE_DOMAIN: DOMAIN, AUTH_CACHE_TTL_MS: '30000' }),
    );
    gateway = await startGateway(config, { identity, sessionRoutes: routes, events, clock });
  });
  afterAll(() => gateway?.stop());

  beforeEach(() => {
    clock.advance(60_000); // whatever an earlier test left cached has expired
    identity.answers.set(hashLoginToken(TOKEN), { actor: ada, expiresAt: null });
    routes.routes.set('abcdefgh', {
      sessionId: 's-1',
      userId: ada.userId,
      exposure: Exposure.EXTERNAL,
      status: SessionStatus.RUNNING,
      upstream: 'mf-session-abcdefgh:8080',
    });
  });

  const forwardAuth = (slug = 'abcdefgh') =>
    fetch(`${gateway.url.replace(/\/graphql$/, '')}/api/v2/auth/session-proxy`, {
      headers: {
        'x-forwarded-host': `s-${slug}.external.${DOMAIN}`,
        cookie: `mf_session=${TOKEN}`,
        accept: 'application/json',
      },
      redirect: 'manual',
    });

  it('lets the owner through to the upstream, then answers from memory', async () => {
    const first = await forwardAuth();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-upstream')).toBe('mf-session-abcdefgh:8080');
    const asked = { identity: identity.calls, routes: routes.calls };
    expect((await forwardAuth()).status).toBe(200);
    expect({ identity: identity.calls, routes: routes.calls }).toEqual(asked);
  });

  it('forgets a login the moment identity announces it ended', async () => {
    expect((await forwardAuth()).status).toBe(200);
    identity.answers.clear(); // signed out
    expect((await forwardAuth()).status).toBe(200); // still cached: nothing announced yet
    await events.publish(AUTH_INVALIDATION_CHANNEL, JSON.stringify({ userId: ada.userId }));
    expect((await forwardAuth()).status).toBe(401);
  });

  it('drops a session route on its session event', async () => {
    expect((await forwardAuth()).status).toBe(200);
    routes.routes.delete('abcdefgh'); // stopped
    await events.publish(SESSION_EVENTS_CHANNEL, JSON.stringify({ slug: 'abcdefgh', status: 'stopped' }));
    expect((await forwardAuth()).status).toBe(404);
  });

  it('asks identity again once its answer is older than the cache TTL, by the clock it was given', async () => {
    expect((await forwardAuth()).status).toBe(200);
    const before = identity.calls;
    clock.advance(29_000);
    expect((await forwardAuth()).status).toBe(200);
    expect(identity.calls).toBe(before);
    clock.advance(2_000);
    expect((await forwardAuth()).status).toBe(200);
    expect(identity.calls).toBe(before + 1);
  });

  it("shows a browser a page for a session that is not running or someone else's, and scripts the problem", async () => {
    const page = (slug: string) =>
      fetch(`${gateway.url.replace(/\/graphql$/, '')}/api/v2/auth/session-proxy`, {
        headers: {
          'x-forwarded-host': `s-${slug}.external.${DOMAIN}`,
          cookie: `mf_session=${TOKEN}`,
          accept: 'text/html',
        },
        redirect: 'manual',
      });
    routes.routes.set('bcdefghi', { ...routes.routes.get('abcdefgh')!, status: SessionStatus.STOPPED, upstream: null });
    routes.routes.set('cdefghij', { ...routes.routes.get('abcdefgh')!, userId: 'u-someone-else' });
    const stopped = await page('bcdefghi');
    expect(stopped.status).toBe(404);
    expect(stopped.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(stopped.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const text = await stopped.text();
    expect(text).toContain('<h1>s-bcdefghi is not running</h1>');
    expect(text).toContain('Your files are safe in your home');
    const theirs = await page('cdefghij');
    expect(theirs.status).toBe(403);
    expect(await theirs.text()).toContain('belongs to another user');
    const script = await forwardAuth('bcdefghi');
    expect(script.status).toBe(404);
    expect(await script.json()).toMatchObject({ code: 'NOT_FOUND', detail: 'Session bcdefghi is not running' });
  });
});
