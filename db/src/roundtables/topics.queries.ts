import type { DbOrTx } from '../create-db.ts';
import type { TopicCategory } from '@tongxin/shared/roundtables/topics';

export interface NewTopic {
  roundtableId: string;
  raisedBy: string;
  title: string;
  description: string;
  category: TopicCategory;
  location: string | null;
}

/** A resident raises a topic (提事). */
export async function insertTopic(db: DbOrTx, topic: NewTopic): Promise<string> {
  const row = await db.insertInto('topics').values(topic).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * One co-signature: the primary key (topic, person) is the once-each rule, and the count
 * moves with it. False when this person had already co-signed.
 */
export async function insertCosign(db: DbOrTx, topicId: string, userId: string) {
  const inserted = await db
    .insertInto('topicCosigns')
    .values({ topicId, userId })
    .onConflict((oc) => oc.doNothing())
    .returning('topicId')
    .executeTakeFirst();
  if (!inserted) return false;
  await db
    .updateTable('topics')
    .set((eb) => ({ cosignCount: eb('cosignCount', '+', 1) }))
    .where('id', '=', topicId)
    .execute();
  return true;
}

export interface Screened {
  screenedBy: string;
  screenedAt: Date;
}

/** Puts a topic on the agenda, last. */
export async function acceptTopic(
  db: DbOrTx,
  topic: { id: string; roundtableId: string },
  by: Screened,
) {
  const last = await db
    .selectFrom('topics')
    .select((eb) => eb.fn.max('agendaPosition').as('max'))
    .where('roundtableId', '=', topic.roundtableId)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('topics')
    .set({ ...by, status: 'accepted', agendaPosition: (last.max ?? 0) + 1 })
    .where('id', '=', topic.id)
    .execute();
}

export async function mergeTopic(db: DbOrTx, topicId: string, into: string, by: Screened) {
  await db
    .updateTable('topics')
    .set({ ...by, status: 'merged', mergedInto: into })
    .where('id', '=', topicId)
    .execute();
}

export async function declineTopic(db: DbOrTx, topicId: string, reason: string, by: Screened) {
  await db
    .updateTable('topics')
    .set({ ...by, status: 'declined', declineReason: reason })
    .where('id', '=', topicId)
    .execute();
}

/** The ids of the roundtable's agenda topics, in no particular order. */
export async function agendaTopicIds(db: DbOrTx, roundtableId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('topics')
    .select('id')
    .where('roundtableId', '=', roundtableId)
    .where('status', '=', 'accepted')
    .execute();
  return rows.map((r) => r.id);
}

/** The agenda in this order. */
export async function setAgendaOrder(db: DbOrTx, topicIds: readonly string[]): Promise<void> {
  for (const [index, id] of topicIds.entries()) {
    await db
      .updateTable('topics')
      .set({ agendaPosition: index + 1 })
      .where('id', '=', id)
      .execute();
  }
}
