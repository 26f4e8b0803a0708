import { ref } from 'vue';
import type { RouteLocationNormalized } from 'vue-router';

import type { Account, AccountStore } from '../src/composables/account';
import { guard } from '../src/app/router';
import { safeNext, sessionReturnUrl } from '../src/app/safe-next';

const to = (fullPath: string, requires?: 'user' | 'admin') =>
  ({ path: fullPath.split('?')[0], fullPath, query: {}, meta: { title: 'x', requires } }) as RouteLocationNormalized;

function store(role: Account['role'] | null): AccountStore {
  const account = ref<Account | null>(
    role && { id: 'u1', email: 'a@example.org', displayName: 'a', role, canUseInternal: false },
  );
  return { account, isAdmin: ref(role === 'ADMIN'), ready: Promise.resolve() } as unknown as AccountStore;
}

describe('console routing', () => {
  it('sends signed-out visitors of private pages to sign in, and back afterwards', async () => {
    expect(await guard(store(null), to('/sessions', 'user'))).toEqual({
      path: '/sign-in',
      query: { next: '/sessions' },
    });
    expect(await guard(store(null), to('/competitions'))).toBe(true);
    const signInAgain = { ...to('/sign-in'), query: { next: '/sessions' } } as RouteLocationNormalized;
    expect(await guard(store('USER'), signInAgain)).toBe('/sessions');
  });

  it('keeps admin pages for admins', async () => {
    expect(await guard(store('USER'), to('/admin/gpus', 'admin'))).toEqual({
      path: '/',
      query: { denied: '/admin/gpus' },
    });
    expect(await guard(store('ADMIN'), to('/admin/gpus', 'admin'))).toBe(true);
  });

  it('follows `next` only to a path on this origin', () => {
    expect(safeNext('/competitions/titanic')).toBe('/competitions/titanic');
    for (const hostile of ['//evil.example', 'https://evil.example', '/\\evil.example', undefined, ['/a']])
      expect(safeNext(hostile)).toBe('/');
  });

  it('returns to a session address only under this console host, with its scheme and port', () => {
    const console = { protocol: 'http:', hostname: 'medforge.localhost', port: '8080' };
    const session = 'http://s-k3n7qz2a.external.medforge.localhost:8080/?folder=/workspace';
    expect(sessionReturnUrl(session, console)).toBe(session);
    expect(sessionReturnUrl('http://s-k3n7qz2a.internal.medforge.localhost:8080/', console)).not.toBeNull();
    for (const hostile of [
      'http://s-k3n7qz2a.external.evil.example:8080/',
      'http://s-k3n7qz2a.external.medforge.localhost.evil.example:8080/',
      'https://s-k3n7qz2a.external.medforge.localhost:8080/',
      'http://s-k3n7qz2a.external.medforge.localhost:9999/',
      'http://user:pw@s-k3n7qz2a.external.medforge.localhost:8080/',
      'http://medforge.localhost:8080/',
      'http://s-K3N7QZ2A.other.medforge.localhost:8080/',
      'javascript:alert(1)',
      '/sessions',
      undefined,
    ])
      expect(sessionReturnUrl(hostile, console)).toBeNull();
  });
});
