import type { DbOrTx } from '../create-db.ts';
import type { MemberReport } from './claims.tables.ts';

/** Those of `unitIds` that have reported to the community. */
export async function reportedUnitIds(
  db: DbOrTx,
  communityId: string,
  unitIds: readonly string[],
): Promise<string[]> {
  if (unitIds.length === 0) return [];
  const rows = await db
    .selectFrom('unitReports')
    .select('unitId')
    .where('communityId', '=', communityId)
    .where('unitId', 'in', unitIds)
    .execute();
  return rows.map((r) => r.unitId);
}

/** Reporting again updates the contact and commitment; the first report's date is kept. */
export async function upsertUnitReport(
  db: DbOrTx,
  report: {
    communityId: string;
    unitId: string;
    contact: string;
    commitment: string;
    reportedBy: string;
  },
): Promise<void> {
  await db
    .insertInto('unitReports')
    .values(report)
    .onConflict((oc) =>
      oc.columns(['communityId', 'unitId']).doUpdateSet({
        contact: report.contact,
        commitment: report.commitment,
        reportedBy: report.reportedBy,
      }),
    )
    .execute();
}

/** A member's report; undefined when they already have a live one (the partial unique index). */
export function insertMemberReport(
  db: DbOrTx,
  report: { userId: string; communityId: string; unitName: string; skills: string },
): Promise<MemberReport | undefined> {
  return db
    .insertInto('memberReports')
    .values(report)
    .onConflict((oc) => oc.column('userId').where('status', '<>', 'rejected').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findMemberReportById(db: DbOrTx, id: string): Promise<MemberReport | undefined> {
  return db.selectFrom('memberReports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Settles a pending report; undefined when it was already settled. */
export function reviewMemberReport(
  db: DbOrTx,
  id: string,
  review: { status: 'confirmed' | 'rejected'; reason: string | null; reviewedBy: string },
): Promise<MemberReport | undefined> {
  return db
    .updateTable('memberReports')
    .set({ ...review, reviewedAt: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}

export async function displayNameOf(db: DbOrTx, userId: string): Promise<string> {
  const row = await db
    .selectFrom('users')
    .select('displayName')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.displayName;
}
