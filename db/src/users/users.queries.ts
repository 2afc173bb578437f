import { sql } from 'kysely';
import type { DbOrTx } from '../create-db.ts';
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

export async function recordLoginFailure(db: DbOrTx, key: string): Promise<void> {
  await db.insertInto('loginFailures').values({ usernameKey: key }).execute();
}

export async function clearLoginFailures(db: DbOrTx, key: string, before: Date): Promise<void> {
  await db
    .deleteFrom('loginFailures')
    .where('usernameKey', '=', key)
    .where('createdAt', '<', before)
    .execute();
}
