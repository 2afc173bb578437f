import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '@tongxin/db/create-db';
import { migrateToLatest } from '@tongxin/db/migrate';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

let database: TestDatabase | undefined;
let handle: DbHandle | undefined;
afterEach(async () => {
  await handle?.close();
  await database?.drop();
  handle = database = undefined;
});

async function freshDb() {
  database = await createTestDatabase();
  handle = await createDb(database.config);
  return handle.db;
}

// Every start checks the schema; when nothing is pending that is one query, not Kysely's
// Migrator (which introspects every table), and anything unusual still goes to the Migrator.
describe('migrating at start', () => {
  it('applies every migration once, then finds nothing to do', async () => {
    const db = await freshDb();
    const applied = await migrateToLatest(db);
    expect(applied.length).toBeGreaterThan(0);
    expect(await migrateToLatest(db)).toEqual([]);
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from kysely_migration`.execute(db);
    expect(rows[0]!.n).toBe(applied.length);
  });

  it('refuses a database that ran a migration this build does not know', async () => {
    const db = await freshDb();
    await migrateToLatest(db);
    await sql`insert into kysely_migration (name, timestamp) values ('2999-01-01-9999-from-the-future', now()::text)`.execute(
      db,
    );
    await expect(migrateToLatest(db)).rejects.toThrow(/Database migration failed/);
  });
});
