import type { DbOrTx } from '../create-db.ts';
import type { User } from '../database.ts';

export interface SessionRow {
  id: string;
  userId: string;
  expiresAt: Date;
  createdAt: Date;
}

export async function insertSession(db: DbOrTx, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** A session with its user, in one statement (every signed-in request runs it). */
export async function findSessionAndUser(
  db: DbOrTx,
  id: string,
): Promise<{ session: SessionRow; user: User } | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.userId')
    .selectAll('u')
    .select(['s.expiresAt as sessionExpiresAt', 's.createdAt as sessionCreatedAt'])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { sessionExpiresAt, sessionCreatedAt, ...user } = row;
  return {
    session: { id, userId: user.id, expiresAt: sessionExpiresAt, createdAt: sessionCreatedAt },
    user,
  };
}

export function findUserSessions(db: DbOrTx, userId: string): Promise<SessionRow[]> {
  return db.selectFrom('sessions').selectAll().where('userId', '=', userId).execute();
}

export async function updateSessionExpiry(db: DbOrTx, id: string, expiresAt: Date): Promise<void> {
  await db.updateTable('sessions').set({ expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteUserSessions(
  db: DbOrTx,
  userId: string,
  exceptId?: string,
): Promise<void> {
  let query = db.deleteFrom('sessions').where('userId', '=', userId);
  if (exceptId) query = query.where('id', '!=', exceptId);
  await query.execute();
}

export async function deleteExpiredSessions(db: DbOrTx, now = new Date()): Promise<void> {
  await db.deleteFrom('sessions').where('expiresAt', '<=', now).execute();
}
