import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '@tongxin/db/create-db';
import { migrateToLatest } from '@tongxin/db/migrate';
import { migrations } from '@tongxin/db/migrations/index';
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

  it('renames the stored notification kinds shift_* to activity_*, so old ones still render (0018)', async () => {
    const db = await freshDb();
    const provider = { getMigrations: async () => migrations };
    await new Migrator({ db, provider }).migrateTo('2026-12-07-0031-cluster-jobs');
    await sql`insert into users (username, display_name, password_hash)
              values ('old', '老用户', 'x')`.execute(db);
    for (const kind of ['shift_changed', 'shift_cancelled', 'shift_reminder', 'waitlist_promoted'])
      await sql`insert into notifications (user_id, kind)
                select id, ${kind} from users where username = 'old'`.execute(db);
    await migrateToLatest(db);
    const { rows } = await sql<{
      kind: string;
    }>`select kind from notifications order by kind`.execute(db);
    expect(rows.map((r) => r.kind)).toEqual([
      'activity_cancelled',
      'activity_changed',
      'activity_reminder',
      'waitlist_promoted',
    ]);
  });
});
