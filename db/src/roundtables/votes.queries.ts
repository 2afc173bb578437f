import type { DbOrTx } from '../create-db.ts';

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
