import type { DbOrTx } from '../create-db.ts';
import type { AttendanceHow, AttendanceTable } from './roundtables.tables.ts';

/**
 * The live meeting's writes (server/src/roundtables/floor.commands.ts) and the caller's own
 * state in the room. The room's shared reads are in room.queries.ts.
 */

export interface NewAttendance {
  roundtableId: string;
  userId: string;
  name: string;
  part: AttendanceTable['part'];
  how: AttendanceHow;
}

/** Present once; scanning the room's code later upgrades a phone check-in to in person. */
export async function checkIn(tx: DbOrTx, row: NewAttendance): Promise<void> {
  await tx
    .insertInto('attendance')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['roundtableId', 'userId'])
        .where('userId', 'is not', null)
        .doUpdateSet(row.how === 'qr' ? { how: 'qr' } : { how: (eb) => eb.ref('attendance.how') }),
    )
    .execute();
}

/** Present once, as they came first (a ballot from the room is being present in it). */
export async function attendOnce(tx: DbOrTx, row: NewAttendance): Promise<void> {
  await tx
    .insertInto('attendance')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['roundtableId', 'userId']).where('userId', 'is not', null).doNothing(),
    )
    .execute();
}

/** Someone without a phone, marked present by the chair: they vote by show of hands. */
export async function markPresentByHand(
  tx: DbOrTx,
  row: { roundtableId: string; name: string; markedBy: string },
): Promise<string> {
  const { id } = await tx
    .insertInto('attendance')
    .values({ ...row, userId: null, part: 'participant', how: 'hand' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateSettings(
  tx: DbOrTx,
  roundtableId: string,
  settings: { timerSeconds?: number | null; openMinutes?: boolean; hiddenTally?: boolean },
): Promise<void> {
  await tx
    .updateTable('roundtables')
    .set({
      ...(settings.timerSeconds !== undefined ? { timerSeconds: settings.timerSeconds } : {}),
      ...(settings.openMinutes !== undefined ? { openMinutes: settings.openMinutes } : {}),
      ...(settings.hiddenTally !== undefined ? { hiddenTally: settings.hiddenTally } : {}),
    })
    .where('id', '=', roundtableId)
    .execute();
}

export async function setCurrentTopic(
  tx: DbOrTx,
  roundtableId: string,
  topicId: string | null,
): Promise<void> {
  await tx
    .updateTable('roundtables')
    .set({ currentTopicId: topicId })
    .where('id', '=', roundtableId)
    .execute();
}

/** Raising twice keeps one place in the queue (the partial unique index). */
export async function raiseHand(tx: DbOrTx, roundtableId: string, userId: string): Promise<void> {
  await tx
    .insertInto('speakingTurns')
    .values({ roundtableId, userId })
    .onConflict((oc) =>
      oc
        .columns(['roundtableId', 'userId'])
        .where('status', 'in', ['waiting', 'speaking'])
        .doNothing(),
    )
    .execute();
}

/** Whoever speaks now is done. */
export async function endCurrentTurn(tx: DbOrTx, roundtableId: string, now: Date): Promise<void> {
  await tx
    .updateTable('speakingTurns')
    .set({ status: 'done', endedAt: now })
    .where('roundtableId', '=', roundtableId)
    .where('status', '=', 'speaking')
    .execute();
}

/** Gives the floor to someone waiting in the queue; false when they were not waiting. */
export async function startWaitingTurn(
  tx: DbOrTx,
  roundtableId: string,
  userId: string,
  now: Date,
): Promise<boolean> {
  const row = await tx
    .updateTable('speakingTurns')
    .set({ status: 'speaking', startedAt: now })
    .where('roundtableId', '=', roundtableId)
    .where('userId', '=', userId)
    .where('status', '=', 'waiting')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Gives the floor to someone present who had not raised a hand. */
export async function startTurn(
  tx: DbOrTx,
  roundtableId: string,
  userId: string,
  now: Date,
): Promise<void> {
  await tx
    .insertInto('speakingTurns')
    .values({ roundtableId, userId, status: 'speaking', startedAt: now })
    .execute();
}

export async function insertProposal(
  tx: DbOrTx,
  proposal: { topicId: string; text: string; proposedBy: string },
): Promise<string> {
  const { id } = await tx
    .insertInto('proposals')
    .values(proposal)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Is this person waiting to speak? */
export async function handRaised(db: DbOrTx, roundtableId: string, userId: string) {
  const row = await db
    .selectFrom('speakingTurns')
    .select('id')
    .where('roundtableId', '=', roundtableId)
    .where('userId', '=', userId)
    .where('status', '=', 'waiting')
    .executeTakeFirst();
  return row !== undefined;
}

/** This person's ballots in the roundtable, keyed by vote (one vote says nothing of the next). */
export function myBallots(db: DbOrTx, roundtableId: string, userId: string) {
  return db
    .selectFrom('ballots as b')
    .innerJoin('votes as v', 'v.id', 'b.voteId')
    .select(['b.voteId', 'b.choice', 'b.proposalId'])
    .where('v.roundtableId', '=', roundtableId)
    .where('b.userId', '=', userId)
    .execute();
}

/** This person's ratings of the roundtable's items, in each item's current round. */
export function myRatings(db: DbOrTx, roundtableId: string, userId: string) {
  return db
    .selectFrom('ratings as g')
    .innerJoin('actionItems as a', (j) =>
      j.onRef('a.id', '=', 'g.itemId').onRef('a.round', '=', 'g.round'),
    )
    .select(['g.itemId', 'g.rating'])
    .where('a.roundtableId', '=', roundtableId)
    .where('g.userId', '=', userId)
    .execute();
}

/** Items this person answers for: as the person, a rep of the unit, a leader of the team. */
export async function ownedItemIds(
  db: DbOrTx,
  roundtableId: string,
  userId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('actionItems as a')
    .select('a.id')
    .where('a.roundtableId', '=', roundtableId)
    .where((eb) =>
      eb.or([
        eb('a.ownerUserId', '=', userId),
        eb(
          'a.ownerUnitId',
          'in',
          eb
            .selectFrom('roleAssignments')
            .select('unitId')
            .where('userId', '=', userId)
            .where('role', '=', 'unit_rep'),
        ),
        eb(
          'a.ownerTeamId',
          'in',
          eb
            .selectFrom('teamMembers')
            .select('teamId')
            .where('userId', '=', userId)
            .where('role', '=', 'leader')
            .where('status', '=', 'active'),
        ),
      ]),
    )
    .execute();
  return rows.map((r) => r.id);
}
