import { sql } from 'kysely';
import type { DbOrTx } from '../create-db.ts';
import type { NewUser, User, UserUpdate } from '../database.ts';

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
