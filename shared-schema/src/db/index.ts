export { openDatabase, pingDatabase } from './bootstrap';
export { createKnex, type DatabaseOptions, dropDatabase, ensureDatabase, type Knex } from './knex-factory';
export { type Migration, migrateLatest, migrateRollbackAll } from './migrations';
export { isDeadlock, retryOnDeadlock } from './retry-on-deadlock';
