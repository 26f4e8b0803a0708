import { nextTick } from 'vue';
import { createRouter, createWebHistory, type RouteLocationNormalized, type Router } from 'vue-router';

import type { AccountStore } from '../composables/account';
import { safeNext, sessionReturnUrl } from './safe-next';

declare module 'vue-router' {
  interface RouteMeta {
    title: string;
    /** Who may see the page: anyone (unset), a signed-in user, or an administrator. */
    requires?: 'user' | 'admin';
  }
}

/** Each page has its own URL, so pages can be bookmarked, shared and reloaded. */
export function createConsoleRouter(account: AccountStore, history = createWebHistory()): Router {
  const router = createRouter({
    history,
    routes: [
      {
        path: '/',
        component: () => import('../pages/DashboardPage.vue'),
        meta: { title: 'Dashboard', requires: 'user' },
      },
      { path: '/sign-in', component: () => import('../pages/SignInPage.vue'), meta: { title: 'Sign in' } },
      {
        path: '/reset-password',
        component: () => import('../pages/ResetPasswordPage.vue'),
        meta: { title: 'Set a new password' },
      },
      {
        path: '/sessions',
        component: () => import('../pages/SessionsPage.vue'),
        meta: { title: 'Sessions', requires: 'user' },
      },
      {
        path: '/account',
        component: () => import('../pages/AccountPage.vue'),
        meta: { title: 'Account', requires: 'user' },
      },
      {
        path: '/competitions',
        component: () => import('../pages/CompetitionsPage.vue'),
        meta: { title: 'Competitions' },
      },
      {
        path: '/competitions/:slug',
        component: () => import('../pages/CompetitionPage.vue'),
        props: true,
        meta: { title: 'Competition' },
      },
      {
        path: '/datasets',
        component: () => import('../pages/DatasetsPage.vue'),
        meta: { title: 'Datasets' },
      },
      {
        path: '/admin/users',
        component: () => import('../pages/admin/AdminUsersPage.vue'),
        meta: { title: 'Users', requires: 'admin' },
      },
      {
        path: '/admin/sessions',
        component: () => import('../pages/admin/AdminSessionsPage.vue'),
        meta: { title: 'All sessions', requires: 'admin' },
      },
      {
        path: '/admin/gpus',
        component: () => import('../pages/admin/AdminGpusPage.vue'),
        meta: { title: 'GPUs', requires: 'admin' },
      },
      {
        path: '/admin/reservations',
        component: () => import('../pages/admin/AdminReservationsPage.vue'),
        meta: { title: 'Reservations', requires: 'admin' },
      },
      {
        path: '/admin/usage',
        component: () => import('../pages/admin/AdminUsagePage.vue'),
        meta: { title: 'Usage', requires: 'admin' },
      },
      {
        path: '/admin/submissions',
        component: () => import('../pages/admin/AdminSubmissionsPage.vue'),
        meta: { title: 'Submissions', requires: 'admin' },
      },
      { path: '/:unknown(.*)*', component: () => import('../pages/NotFoundPage.vue'), meta: { title: 'Not found' } },
    ],
  });

  router.beforeEach(async (to) => guard(account, to));
  router.afterEach(async (to) => {
    document.title = `${to.meta.title} · MedForge`;
    // Keyboard and screen-reader users land on the new page's heading, not on the old link.
    await nextTick();
    document.querySelector<HTMLElement>('main h1')?.focus();
  });
  return router;
}

/** Where a navigation may go, once the account is known. */
export async function guard(account: AccountStore, to: RouteLocationNormalized) {
  await account.ready;
  const signedIn = account.account.value !== null;
  if (to.path === '/sign-in' && signedIn) {
    const session = sessionReturnUrl(to.query['next'], window.location);
    if (!session) return safeNext(to.query['next']);
    window.location.assign(session);
    return false;
  }
  if (to.meta.requires && !signedIn) return { path: '/sign-in', query: { next: to.fullPath } };
  if (to.meta.requires === 'admin' && !account.isAdmin.value) return { path: '/', query: { denied: to.path } };
  return true;
}
