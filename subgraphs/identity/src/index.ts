export * from './app';
export * from './config';
export { identityMigrations } from './db/migrations';
export { AdminBootstrap } from './services/admin-bootstrap';
export { AuthEvents } from './services/auth-events';
export { PasswordHasher } from './services/password-hasher';
