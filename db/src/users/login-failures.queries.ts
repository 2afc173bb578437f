import { sql } from 'kysely';
import type { Db, DbOrTx } from '../create-db.ts';

export interface LoginLimits {
  /** Failures counted from this moment on (now minus the window). */
  since: Date;
  now: Date;
  /** Failures allowed per account inside the window. */
  perAccount: number;
  /** Failures allowed per address inside the window, over all accounts. */
  perAddress: number;
}

/** A login may go ahead (`attemptId` is its provisional failure), or is refused until then. */
export type LoginAttempt =
  { attemptId: string } | { refused: 'account' | 'address'; oldestCounted: Date };

/**
 * The failure that keeps the limit reached: the `limit`-th newest inside the window. Once it
 * is older than the window, fewer than `limit` remain and logins go ahead again.
 */
async function limitingFailure(
  db: DbOrTx,
  column: 'usernameKey' | 'address',
  value: string,
  since: Date,
  limit: number,
): Promise<Date | undefined> {
  const row = await db
    .selectFrom('loginFailures')
    .select('createdAt')
    .where(column, '=', value)
    .where('createdAt', '>', since)
    .orderBy('createdAt', 'desc')
    .offset(limit - 1)
    .limit(1)
    .executeTakeFirst();
  return row?.createdAt;
}

/**
 * Counts a login attempt before its password is checked: under a lock on the account's key,
 * checks both limits and records this attempt as a failure of the account. Checking first
 * and recording after let 100 parallel guesses all pass the count. The address is written
 * on the row only once the failure is confirmed (`confirmLoginFailure`), so a hall logging
 * in together is not refused for attempts that are still being checked; the address limit
 * may therefore be overshot by the guesses in flight at once, which only a sweep makes.
 */
export function reserveLoginAttempt(
  db: Db,
  key: string,
  address: string,
  limits: LoginLimits,
): Promise<LoginAttempt> {
  return db.transaction().execute(async (tx): Promise<LoginAttempt> => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`login:${key}`}, 0))`.execute(tx);
    const account = await limitingFailure(tx, 'usernameKey', key, limits.since, limits.perAccount);
    if (account) return { refused: 'account', oldestCounted: account };
    const fromAddress = await limitingFailure(
      tx,
      'address',
      address,
      limits.since,
      limits.perAddress,
    );
    if (fromAddress) return { refused: 'address', oldestCounted: fromAddress };
    const row = await tx
      .insertInto('loginFailures')
      .values({ usernameKey: key, createdAt: limits.now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { attemptId: String(row.id) };
  });
}

/** The password was wrong: the failure counts against the address it came from too. */
export async function confirmLoginFailure(db: DbOrTx, id: string, address: string): Promise<void> {
  await db.updateTable('loginFailures').set({ address }).where('id', '=', id).execute();
}

/** The password was right: the account starts afresh (its failures are forgotten). */
export async function clearLoginFailures(db: DbOrTx, key: string): Promise<void> {
  await db.deleteFrom('loginFailures').where('usernameKey', '=', key).execute();
}

/** Failures older than the window count for nothing: housekeeping deletes them. */
export async function deleteLoginFailuresBefore(db: DbOrTx, before: Date): Promise<void> {
  await db.deleteFrom('loginFailures').where('createdAt', '<', before).execute();
}
