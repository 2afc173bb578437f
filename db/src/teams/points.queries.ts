import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../create-db.ts';
import type { LedgerReason } from './teams.tables.ts';

/**
 * Serialises every ledger write for one person in one community until the transaction ends,
 * so each entry's balance is the previous one plus its delta, whatever runs at the same time.
 */
async function lockAccount(tx: Tx, userId: string, communityId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`points:${userId}:${communityId}`}, 0))`.execute(
    tx,
  );
}

export async function pointsBalance(
  db: DbOrTx,
  userId: string,
  communityId: string,
): Promise<number> {
  const row = await db
    .selectFrom('pointsLedger')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('delta'), sql<string>`0`).as('sum'))
    .where('userId', '=', userId)
    .where('communityId', '=', communityId)
    .executeTakeFirstOrThrow();
  return Number(row.sum);
}

export interface LedgerWrite {
  userId: string;
  communityId: string;
  delta: number;
  reason: LedgerReason;
  signupId?: string;
  redemptionId?: string;
  problemId?: string;
  createdBy: string;
}

/**
 * Appends one entry under the account lock and returns the new balance. `guard` sees the
 * balance before and may throw to refuse (a redemption the points do not cover); the
 * database's no-overdraft CHECK is the last word.
 */
export async function appendLedger(
  tx: Tx,
  entry: LedgerWrite,
  guard?: (balanceBefore: number) => void,
): Promise<number> {
  await lockAccount(tx, entry.userId, entry.communityId);
  const balanceAfter = (await pointsBalance(tx, entry.userId, entry.communityId)) + entry.delta;
  guard?.(balanceAfter - entry.delta);
  await tx
    .insertInto('pointsLedger')
    .values({
      userId: entry.userId,
      communityId: entry.communityId,
      delta: entry.delta,
      reason: entry.reason,
      signupId: entry.signupId ?? null,
      redemptionId: entry.redemptionId ?? null,
      problemId: entry.problemId ?? null,
      balanceAfter,
      createdBy: entry.createdBy,
    })
    .execute();
  return balanceAfter;
}

export interface LedgerRow {
  id: string;
  delta: number;
  reason: LedgerReason;
  balanceAfter: number;
  createdAt: Date;
  about: string | null;
}

export async function ledgerOf(
  db: DbOrTx,
  userId: string,
  communityId: string,
): Promise<LedgerRow[]> {
  return db
    .selectFrom('pointsLedger as l')
    .leftJoin('signups as s', 's.id', 'l.signupId')
    .leftJoin('activities as a', 'a.id', 's.activityId')
    .leftJoin('redemptions as r', 'r.id', 'l.redemptionId')
    .leftJoin('catalogueItems as c', 'c.id', 'r.itemId')
    .leftJoin('problemReports as p', 'p.id', 'l.problemId')
    .select(['l.id', 'l.delta', 'l.reason', 'l.balanceAfter', 'l.createdAt'])
    .select((eb) => eb.fn.coalesce('a.title', 'c.name', 'p.description').as('about'))
    .where('l.userId', '=', userId)
    .where('l.communityId', '=', communityId)
    .orderBy('l.id', 'desc')
    .execute();
}

/**
 * The communities where the user has a points account (any ledger entry), with the balance:
 * a rider credited for a report holds no role there, and still has their points.
 */
export function ledgerCommunitiesOf(db: DbOrTx, userId: string) {
  return db
    .selectFrom('pointsLedger as l')
    .innerJoin('places as c', 'c.id', 'l.communityId')
    .select(['c.id', 'c.name'])
    .select((eb) => eb.fn.sum<string>('l.delta').as('balance'))
    .where('l.userId', '=', userId)
    .groupBy(['c.id', 'c.name'])
    .orderBy('c.name')
    .execute();
}

/** Whether the user has a points account in the community. */
export async function hasLedger(db: DbOrTx, userId: string, communityId: string) {
  const row = await db
    .selectFrom('pointsLedger')
    .select('id')
    .where('userId', '=', userId)
    .where('communityId', '=', communityId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
