import {
  createKnex,
  dropDatabase,
  ensureDatabase,
  type Knex,
  type Migration,
  migrateLatest,
  migrateRollbackAll,
} from '../../src';
import { testDatabaseOptions } from '../../src/testing';

const migrations: Migration[] = [
  {
    name: '0001_things',
    up: (knex) =>
      knex.schema.createTable('things', (t) => {
        t.increments('id');
        t.boolean('enabled').notNullable();
        t.tinyint('level').nullable();
        t.datetime('at', { precision: 3 }).notNullable();
        t.string('label', 4).notNullable();
      }),
    down: (knex) => knex.schema.dropTable('things'),
  },
];

describe('knex factory on the real MariaDB', () => {
  const options = testDatabaseOptions('shared');
  let knex: Knex;

  beforeAll(async () => {
    await ensureDatabase(options);
    await ensureDatabase(options); // idempotent
    knex = createKnex(options);
  });

  afterAll(async () => {
    await knex.destroy();
    await dropDatabase(options);
  });

  it('applies list migrations once and rolls them back', async () => {
    expect(await migrateLatest(knex, migrations)).toEqual(['0001_things']);
    expect(await migrateLatest(knex, migrations)).toEqual([]);
    await migrateRollbackAll(knex, migrations);
    expect(await knex.schema.hasTable('things')).toBe(false);
    await migrateLatest(knex, migrations);
  });

  it('reads booleans as booleans, keeps other tinyints numeric, and stores UTC', async () => {
    const at = new Date('2026-03-01T23:59:59.123Z');
    await knex('things').insert({ enabled: true, level: 7, at, label: 'ok' });
    const row = await knex('things').first();
    expect(row.enabled).toBe(true);
    expect(row.level).toBe(7);
    expect(row.at.toISOString()).toBe(at.toISOString());
    const [{ tz }] = (await knex.raw('SELECT @@session.time_zone AS tz'))[0];
    expect(tz).toBe('+00:00');
  });

  it('runs in strict mode: overlong strings fail instead of being truncated', async () => {
    await expect(knex('things').insert({ enabled: false, at: new Date(), label: 'too long' })).rejects.toThrow(
      /Data too long/,
    );
  });

  it('refuses database names that are not plain identifiers', () => {
    expect(() => createKnex({ ...options, database: 'x`; DROP DATABASE mysql; --' })).toThrow(/Invalid database name/);
  });
});
