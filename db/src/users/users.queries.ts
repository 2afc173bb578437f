import { sql } from 'kysely';
import type { Db, DbOrTx } from '../create-db.ts';
import type { NewUser, User, UserUpdate } from '../database.ts';

export function findUserById(db: DbOrTx, id: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserByLogin(db: DbOrTx, login: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) =>
      eb.or([eb(sql`lower(username)`, '=', login.toLowerCase()), eb('phone', '=', login)]),
    )
    .executeTakeFirst();
}

export function insertUser(db: DbOrTx, user: NewUser): Promise<User> {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export function updateUser(db: DbOrTx, id: string, changes: UserUpdate): Promise<User | undefined> {
  return db
    .updateTable('users')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function countRecentLoginFailures(
  db: DbOrTx,
  key: string,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom('loginFailures')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('usernameKey', '=', key)
    .where('createdAt', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Failures older than the window count for nothing: housekeeping deletes them. */
export async function deleteLoginFailuresBefore(db: DbOrTx, before: Date): Promise<void> {
  await db.deleteFrom('loginFailures').where('createdAt', '<', before).execute();
}

/**
 * Counts a login attempt before its password is checked: under a lock on the account's key,
 * counts the failures in the window and, below the limit, records this attempt as one.
 * Returns the row to forget if the password turns out right, or null when the account is
 * locked. Checking first and recording after let 100 parallel guesses all pass the count.
 */
export function reserveLoginAttempt(
  db: Db,
  key: string,
  since: Date,
  limit: number,
): Promise<string | null> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`login:${key}`}, 0))`.execute(tx);
    if ((await countRecentLoginFailures(tx, key, since)) >= limit) return null;
    const row = await tx
      .insertInto('loginFailures')
      .values({ usernameKey: key })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(row.id);
  });
}

/** The attempt succeeded: it was no failure after all. */
export async function forgetLoginAttempt(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom('loginFailures').where('id', '=', id).execute();
}
