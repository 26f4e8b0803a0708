import { type Actor, Exposure, type SessionRoute, SessionStatus } from '@medforge/shared-schema';

import { decideSessionAccess } from '../src/routing/session-access';
import { parseSessionHost } from '../src/routing/session-host';
import { SessionRouteCache } from '../src/routing/session-route-cache';
import type { SessionRouteSource } from '../src/routing/session-route-source';

const DOMAIN = 'medforge.example.org';
const owner: Actor = { userId: 'u-owner', role: 'user', canUseInternal: false };
const stranger: Actor = { userId: 'u-other', role: 'user', canUseInternal: true };
const admin: Actor = { userId: 'u-admin', role: 'admin', canUseInternal: false };
const running: SessionRoute = {
  sessionId: 's1',
  userId: 'u-owner',
  exposure: Exposure.EXTERNAL,
  status: SessionStatus.RUNNING,
  upstream: 'mf-session-abcdefgh:8080',
};

describe('parseSessionHost', () => {
  it.each([
    ['s-abcdefgh.external.medforge.example.org', { slug: 'abcdefgh', exposure: Exposure.EXTERNAL }],
    ['s-a2b3c4d5.internal.medforge.example.org', { slug: 'a2b3c4d5', exposure: Exposure.INTERNAL }],
    ['S-ABCDEFGH.External.MEDFORGE.example.org', { slug: 'abcdefgh', exposure: Exposure.EXTERNAL }],
  ])('%s', (host, expected) => expect(parseSessionHost(host, DOMAIN)).toEqual(expected));

  it.each([
    'medforge.example.org',
    'api.medforge.example.org',
    's-abcdefgh.medforge.example.org',
    's-abcdefg.external.medforge.example.org', // 7 characters
    's-abcdefgh1.external.medforge.example.org', // 9 characters and a non-base32 digit
    's-abcdefg0.external.medforge.example.org', // 0 is not base32
    's-abcdefgh.private.medforge.example.org',
    's-abcdefgh.external.medforge.example.org.evil.test',
    's-abcdefgh.external.evil-medforge.example.org',
    'x.s-abcdefgh.external.medforge.example.org',
    '',
  ])('not a session host: %s', (host) => expect(parseSessionHost(host, DOMAIN)).toBeNull());
});

describe('decideSessionAccess', () => {
  const host = { slug: 'abcdefgh', exposure: Exposure.EXTERNAL };

  it('lets the owner and admins through with the upstream', () => {
    expect(decideSessionAccess(owner, host, running)).toEqual({ allowed: true, upstream: running.upstream });
    expect(decideSessionAccess(admin, host, running)).toEqual({ allowed: true, upstream: running.upstream });
  });

  it('answers 401 to anonymous callers before revealing anything about the session', () => {
    expect(decideSessionAccess(null, host, null)).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(decideSessionAccess(null, host, running)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses other users, and stays 404 for unknown, mismatched or stopped sessions', () => {
    expect(decideSessionAccess(stranger, host, running)).toMatchObject({ code: 'FORBIDDEN' });
    expect(decideSessionAccess(owner, host, null)).toMatchObject({ code: 'NOT_FOUND' });
    expect(decideSessionAccess(owner, { ...host, exposure: Exposure.INTERNAL }, running)).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      decideSessionAccess(owner, host, { ...running, status: SessionStatus.STOPPED, upstream: null }),
    ).toMatchObject({
      code: 'NOT_FOUND',
      detail: 'Session abcdefgh is not running',
    });
    expect(decideSessionAccess(owner, null, running)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('requires the internal entitlement for INTERNAL sessions, except for admins', () => {
    const internal = { ...running, exposure: Exposure.INTERNAL };
    const internalHost = { ...host, exposure: Exposure.INTERNAL };
    expect(decideSessionAccess(owner, internalHost, internal)).toMatchObject({ code: 'FORBIDDEN' });
    expect(decideSessionAccess({ ...owner, canUseInternal: true }, internalHost, internal)).toMatchObject({
      allowed: true,
    });
    expect(decideSessionAccess(admin, internalHost, internal)).toMatchObject({ allowed: true });
  });

  it('fails closed when a running session has no upstream yet', () => {
    expect(decideSessionAccess(owner, host, { ...running, upstream: null })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

/** A source whose answers the test releases by hand, counting lookups. */
class ControlledSource implements SessionRouteSource {
  lookups = 0;
  private pending: Array<(route: SessionRoute | null) => void> = [];
  constructor(public current: SessionRoute | null) {}

  lookup(): Promise<SessionRoute | null> {
    this.lookups++;
    return new Promise((resolve) => this.pending.push(resolve));
  }

  release(): void {
    for (const resolve of this.pending.splice(0)) resolve(this.current);
  }
}

describe('SessionRouteCache', () => {
  const options = { ttlMs: 60_000, negativeTtlMs: 60_000, maxEntries: 3 };

  async function settled<T>(promise: Promise<T>, source: ControlledSource): Promise<T> {
    await Promise.resolve();
    source.release();
    return await promise;
  }

  it('answers repeated requests from memory, with one lookup for concurrent misses', async () => {
    const source = new ControlledSource(running);
    const cache = new SessionRouteCache(source, options);
    const first = Promise.all([cache.get('abcdefgh', 'r1'), cache.get('abcdefgh', 'r2')]);
    expect(await settled(first, source)).toEqual([running, running]);
    expect(await cache.get('abcdefgh', 'r3')).toEqual(running);
    expect(source.lookups).toBe(1);
  });

  it('asks again after an event for the slug', async () => {
    const source = new ControlledSource(running);
    const cache = new SessionRouteCache(source, options);
    await settled(cache.get('abcdefgh', 'r1'), source);
    source.current = { ...running, status: SessionStatus.STOPPED, upstream: null };
    cache.invalidate('abcdefgh');
    expect(await settled(cache.get('abcdefgh', 'r2'), source)).toMatchObject({ status: SessionStatus.STOPPED });
    expect(source.lookups).toBe(2);
  });

  it('does not remember an answer that an event overtook while it was in flight', async () => {
    const source = new ControlledSource(running);
    const cache = new SessionRouteCache(source, options);
    const inFlight = cache.get('abcdefgh', 'r1');
    cache.invalidate('abcdefgh'); // the session stopped while session-runtime was answering
    source.current = { ...running, status: SessionStatus.STOPPED, upstream: null };
    await settled(inFlight, source);
    const after = cache.get('abcdefgh', 'r2');
    expect(await settled(after, source)).toMatchObject({ status: SessionStatus.STOPPED });
    expect(source.lookups).toBe(2);
  });

  it('expires entries after their TTL and forgets everything on clear()', async () => {
    const source = new ControlledSource(null);
    const cache = new SessionRouteCache(source, { ...options, negativeTtlMs: 0 });
    await settled(cache.get('abcdefgh', 'r1'), source);
    await settled(cache.get('abcdefgh', 'r2'), source);
    expect(source.lookups).toBe(2);

    source.current = running;
    const remembering = new SessionRouteCache(source, options);
    await settled(remembering.get('abcdefgh', 'r3'), source);
    remembering.clear();
    await settled(remembering.get('abcdefgh', 'r4'), source);
    expect(source.lookups).toBe(4);
  });

  it('stays within maxEntries, evicting the oldest', async () => {
    const source = new ControlledSource(running);
    const cache = new SessionRouteCache(source, options);
    for (const slug of ['aaaaaaaa', 'bbbbbbbb', 'cccccccc', 'dddddddd']) await settled(cache.get(slug, slug), source);
    expect(source.lookups).toBe(4);
    await cache.get('dddddddd', 'again');
    expect(source.lookups).toBe(4);
    await settled(cache.get('aaaaaaaa', 'again'), source);
    expect(source.lookups).toBe(5);
  });

  it('passes lookup failures to the caller and remembers nothing', async () => {
    const failing: SessionRouteSource = { lookup: () => Promise.reject(new Error('session-runtime down')) };
    const cache = new SessionRouteCache(failing, options);
    await expect(cache.get('abcdefgh', 'r1')).rejects.toThrow('session-runtime down');
    await expect(cache.get('abcdefgh', 'r2')).rejects.toThrow('session-runtime down');
  });
});
