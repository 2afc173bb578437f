import { sql } from 'kysely';
import type { DbOrTx } from '../create-db.ts';
import type { Stage } from '@tongxin/shared/roundtables/stages';

/** Convening a roundtable and moving it through its stages (roundtables.commands.ts). */

export interface NewRoundtable {
  placeId: string;
  title: string;
  localName: string;
  location: string;
  startsAt: Date;
  quorum: number | null;
  chairId: string;
  invitedUnitIds: string[];
}

export async function insertRoundtable(
  tx: DbOrTx,
  { invitedUnitIds, ...roundtable }: NewRoundtable,
): Promise<string> {
  const { id } = await tx
    .insertInto('roundtables')
    .values(roundtable)
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const unitId of invitedUnitIds) {
    await tx.insertInto('roundtableUnits').values({ roundtableId: id, unitId }).execute();
  }
  return id;
}

export async function setStage(
  tx: DbOrTx,
  roundtableId: string,
  stage: Stage,
  now: Date,
): Promise<void> {
  await tx
    .updateTable('roundtables')
    .set({ stage, stageChangedAt: now })
    .where('id', '=', roundtableId)
    .execute();
}

/** The meeting part is over: nobody keeps the floor or a place in the queue. */
export async function endAllTurns(tx: DbOrTx, roundtableId: string, now: Date): Promise<void> {
  await tx
    .updateTable('speakingTurns')
    .set({
      status: 'done',
      startedAt: sql<Date>`coalesce(started_at, now())`,
      endedAt: now,
    })
    .where('roundtableId', '=', roundtableId)
    .where('status', 'in', ['waiting', 'speaking'])
    .execute();
}
