import type { DbOrTx } from '../create-db.ts';
import { latestMinutesVersion } from './room.queries.ts';

/** When the amendment period ends (now: ended early). */
export async function setAmendUntil(db: DbOrTx, roundtableId: string, until: Date): Promise<void> {
  await db
    .updateTable('roundtables')
    .set({ minutesAmendUntil: until })
    .where('id', '=', roundtableId)
    .execute();
}

/** The minutes are approved (定稿): frozen from now on. */
export async function freezeMinutes(db: DbOrTx, roundtableId: string, at: Date): Promise<void> {
  await db
    .updateTable('roundtables')
    .set({ minutesFrozenAt: at })
    .where('id', '=', roundtableId)
    .execute();
}

/** Keeps the minutes as they stand, as the next version: the draft put out, or the final. */
export async function insertMinutesVersion(
  db: DbOrTx,
  version: { roundtableId: string; kind: 'draft' | 'final'; text: string; createdBy: string },
): Promise<void> {
  const last = await latestMinutesVersion(db, version.roundtableId);
  await db
    .insertInto('minutesVersions')
    .values({ ...version, version: (last?.version ?? 0) + 1 })
    .execute();
}
