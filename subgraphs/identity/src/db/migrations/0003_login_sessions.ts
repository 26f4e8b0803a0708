import type { Migration } from '@medforge/shared-schema';

/**
 * "Session" means a GPU workbench everywhere else in MedForge; a sign-in is a login. The table of
 * logins (cookie token hashes) takes that name; its rows, indexes and foreign keys stay as they are.
 */
export const loginSessions: Migration = {
  name: '0003_login_sessions',
  async up(knex) {
    await knex.schema.renameTable('auth_sessions', 'login_sessions');
  },
  async down(knex) {
    await knex.schema.renameTable('login_sessions', 'auth_sessions');
  },
};
