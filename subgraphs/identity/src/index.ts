export * from './app';
export * from './config';
export { identityMigrations } from './db/migrations';
export { AdminBootstrap } from './services/admin-bootstrap';
export { ApiTokens } from './services/api-tokens';
export { RedisAuthEvents } from './adapters/redis-auth-events';
export { PasswordHasher } from './services/password-hasher';
export type { IdentityAdapters } from './adapters/identity-adapters';
