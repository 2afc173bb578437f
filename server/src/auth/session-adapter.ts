import { createHash } from 'node:crypto';
import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import type { Db } from '@tongxin/db/create-db';
import type { User } from '@tongxin/db/database';
import {
  deleteExpiredSessions,
  deleteSession,
  deleteUserSessions,
  findSessionAndUser,
  findUserSessions,
  insertSession,
  updateSessionExpiry,
  type SessionRow,
} from '@tongxin/db/users/sessions.queries';

/** The database keys sessions by this hash, so a leaked table holds no usable token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toDatabaseSession(row: SessionRow, token: string): DatabaseSession {
  return {
    id: token,
    userId: row.userId,
    expiresAt: row.expiresAt,
    attributes: { createdAt: row.createdAt },
  };
}

export type UserAttributes = Omit<User, 'id'>;

/** lucia's storage, through Kysely, so it works on PGlite and pg alike. */
export class KyselySessionAdapter implements Adapter {
  constructor(private readonly db: Db) {}

  /** One statement joining session and user: the user comes back as lucia's user attributes. */
  async getSessionAndUser(token: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const found = await findSessionAndUser(this.db, hashToken(token));
    if (!found) return [null, null];
    const { id, ...attributes } = found.user;
    return [toDatabaseSession(found.session, token), { id, attributes }];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    // Only hashes are stored, so listed sessions carry their hash as id.
    const rows = await findUserSessions(this.db, userId);
    return rows.map((row) => toDatabaseSession(row, row.id));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await insertSession(this.db, {
      id: hashToken(session.id),
      userId: session.userId,
      expiresAt: session.expiresAt,
      createdAt: session.attributes.createdAt,
    });
  }

  updateSessionExpiration(token: string, expiresAt: Date): Promise<void> {
    return updateSessionExpiry(this.db, hashToken(token), expiresAt);
  }

  deleteSession(token: string): Promise<void> {
    return deleteSession(this.db, hashToken(token));
  }

  deleteUserSessions(userId: string): Promise<void> {
    return deleteUserSessions(this.db, userId);
  }

  deleteExpiredSessions(): Promise<void> {
    return deleteExpiredSessions(this.db);
  }
}
