import type { DbOrTx } from '../create-db.ts';
import type { VoteChoice } from '@tongxin/shared/roundtables/votes';

/** The roundtable's open vote, if any (at most one: votes_one_open). */
export function openVoteOf(db: DbOrTx, roundtableId: string) {
  return db
    .selectFrom('votes')
    .select('id')
    .where('roundtableId', '=', roundtableId)
    .where('status', '=', 'open')
    .executeTakeFirst();
}

/** Residents and unit members checked in (guests never count towards the quorum). */
export async function checkedInCount(db: DbOrTx, roundtableId: string): Promise<number> {
  const { n } = await db
    .selectFrom('attendance')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('roundtableId', '=', roundtableId)
    .where('part', '!=', 'guest')
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** A topic's proposals, as the options of a choice vote. */
export function topicProposals(db: DbOrTx, topicId: string) {
  return db.selectFrom('proposals').select(['id', 'text']).where('topicId', '=', topicId).execute();
}

export interface NewVote {
  roundtableId: string;
  topicId: string;
  question: string;
  kind: 'yes_no' | 'choice';
  hiddenTally: boolean;
  openedBy: string;
}

/** Opens a vote and brings the room to its topic. */
export async function insertVote(db: DbOrTx, vote: NewVote): Promise<string> {
  const row = await db.insertInto('votes').values(vote).returning('id').executeTakeFirstOrThrow();
  await db
    .updateTable('roundtables')
    .set({ currentTopicId: vote.topicId })
    .where('id', '=', vote.roundtableId)
    .execute();
  return row.id;
}

/**
 * A ballot's locks, in the global order (docs/decisions/0007): the roundtable FOR KEY SHARE
 * (what the attendance row's foreign key takes anyway; it never waits for a command, which
 * holds the row FOR NO KEY UPDATE), then the vote FOR SHARE, so ballots run side by side and
 * closing (FOR UPDATE) waits for them. False when the vote is no longer open.
 */
export async function lockVoteForBallot(
  tx: DbOrTx,
  roundtableId: string,
  voteId: string,
): Promise<boolean> {
  await tx
    .selectFrom('roundtables')
    .select('id')
    .where('id', '=', roundtableId)
    .forKeyShare()
    .executeTakeFirst();
  const open = await tx
    .selectFrom('votes')
    .select('id')
    .where('id', '=', voteId)
    .where('status', '=', 'open')
    .forShare()
    .executeTakeFirst();
  return open !== undefined;
}

/** One ballot per person and vote; false when this person has voted already. */
export async function insertBallot(
  tx: DbOrTx,
  ballot: {
    voteId: string;
    userId: string;
    choice: VoteChoice | null;
    proposalId: string | null;
  },
): Promise<boolean> {
  const cast = await tx
    .insertInto('ballots')
    .values(ballot)
    .onConflict((oc) => oc.columns(['voteId', 'userId']).doNothing())
    .returning('userId')
    .executeTakeFirst();
  return cast !== undefined;
}

/**
 * Locks the vote against ballots (FOR UPDATE waits for every ballot holding it FOR SHARE;
 * a count read after it, as a new statement, sees each of them). Its status.
 */
export async function lockVoteForCount(tx: DbOrTx, voteId: string) {
  const row = await tx
    .selectFrom('votes')
    .select('status')
    .where('id', '=', voteId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return row.status;
}

/** People marked present without a phone: the most hands a show of hands can count. */
export async function handAttendeeCount(db: DbOrTx, roundtableId: string): Promise<number> {
  const { n } = await db
    .selectFrom('attendance')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('roundtableId', '=', roundtableId)
    .where('how', '=', 'hand')
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** The show of hands, replacing any recorded before. */
export async function replaceHandCounts(
  tx: DbOrTx,
  voteId: string,
  counts: Record<string, number>,
): Promise<void> {
  await tx.deleteFrom('handCounts').where('voteId', '=', voteId).execute();
  const rows = Object.entries(counts)
    .filter(([, c]) => c > 0)
    .map(([option, count]) => ({ voteId, option, count }));
  if (rows.length > 0) await tx.insertInto('handCounts').values(rows).execute();
}

export async function markVoteClosed(tx: DbOrTx, voteId: string, counted: number): Promise<void> {
  await tx
    .updateTable('votes')
    .set({ status: 'closed', closedAt: new Date(), counted })
    .where('id', '=', voteId)
    .execute();
}

/**
 * Records a topic's resolution (议定事项), taking it off the deferred list; undefined when
 * the topic has one already.
 */
export async function insertResolution(
  tx: DbOrTx,
  resolution: { topicId: string; text: string; voteId: string | null; recordedBy: string },
): Promise<string | undefined> {
  const row = await tx
    .insertInto('resolutions')
    .values(resolution)
    .onConflict((oc) => oc.column('topicId').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return undefined;
  await tx
    .updateTable('topics')
    .set({ deferred: false })
    .where('id', '=', resolution.topicId)
    .execute();
  return row.id;
}

export async function hasResolution(db: DbOrTx, topicId: string): Promise<boolean> {
  const row = await db
    .selectFrom('resolutions')
    .select('id')
    .where('topicId', '=', topicId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function deferTopic(tx: DbOrTx, topicId: string): Promise<void> {
  await tx.updateTable('topics').set({ deferred: true }).where('id', '=', topicId).execute();
}
