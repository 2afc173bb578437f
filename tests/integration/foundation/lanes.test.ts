import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '@tongxin/db/create-db';
import { onPriorityLane } from '@tongxin/db/lanes';
import { createTestDatabase, onRealPostgres, type TestDatabase } from '../../support/database.ts';

let database: TestDatabase;
let handle: DbHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = await createDb({ ...database.config, poolSize: 2, reservedConnections: 1 });
});
afterAll(async () => {
  await handle.close();
  await database.drop();
});

/** A promise and the function that settles it. */
function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** Holds one connection in a transaction until `release` opens; `held` says when it has it. */
function holdConnection(release: Promise<void>) {
  const held = latch();
  const done = handle.db.transaction().execute(async (tx) => {
    await sql`select 1`.execute(tx);
    held.open();
    await release;
  });
  return { held: held.opened, done };
}

describe(`database lanes (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('a statement on the priority lane passes a queue the general lane cannot serve', async () => {
    const release = latch();
    // Every connection the general lane may hold (PGlite: its only one) is busy.
    const holders = onRealPostgres()
      ? [holdConnection(release.opened), holdConnection(release.opened)]
      : [holdConnection(release.opened)];
    await Promise.all(holders.map((h) => h.held));

    const order: string[] = [];
    const crowd = Array.from({ length: 20 }, (_, i) =>
      sql`select 1`.execute(handle.db).then(() => order.push(`general ${i}`)),
    );
    const chair = onPriorityLane(() => sql`select 1`.execute(handle.db)).then(() =>
      order.push('priority'),
    );

    if (onRealPostgres()) {
      // PostgreSQL: the reserved connection answers while the general lane is still full.
      await chair;
      expect(order).toEqual(['priority']);
    } else {
      // PGlite, one connection: the priority lane is next when it is handed on, ahead of the
      // twenty that asked before it.
      await Promise.resolve();
      expect(order).toEqual([]);
    }
    release.open();
    await Promise.all([...holders.map((h) => h.done), ...crowd, chair]);
    expect(order[0]).toBe('priority');
    expect(order).toHaveLength(21);
  });

  it('a transaction on the priority lane commits while the general lane is full', async () => {
    if (!onRealPostgres()) return; // one connection: nothing runs beside a held transaction
    const release = latch();
    const holders = [holdConnection(release.opened), holdConnection(release.opened)];
    await Promise.all(holders.map((h) => h.held));
    const answer = await onPriorityLane(() =>
      handle.db.transaction().execute(async (tx) => {
        const { rows } = await sql<{ n: number }>`select 41 + 1 as n`.execute(tx);
        return rows[0]!.n;
      }),
    );
    expect(answer).toBe(42);
    release.open();
    await Promise.all(holders.map((h) => h.done));
  });
});
