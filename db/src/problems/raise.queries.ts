import { sql } from 'kysely';
import { STAGES } from '@tongxin/shared/roundtables/stages';
import { roundtableTakesTopics } from '@tongxin/shared/problems/problems';
import type { DbOrTx } from '../create-db.ts';
import { insertCosign } from '../roundtables/topics.queries.ts';

/** The stages in which a report may be raised to a roundtable (the roundtable's own rule). */
const TAKING = STAGES.filter(roundtableTakesTopics);

/** The places of a community: the community itself and everything below it. */
const placesOf = (communityId: string) => sql<string>`(
  with recursive down(id) as (
    select ${communityId}::uuid
    union
    select p.id from places p join down on p.parent_id = down.id
  ) select id from down)`;

/**
 * The roundtables of the community (or of a compound in it) that take topics now, those
 * collecting topics first, soonest first: where a grid worker or the secretary may raise a report.
 */
export function roundtablesTakingTopics(db: DbOrTx, communityId: string) {
  return (
    db
      .selectFrom('roundtables as r')
      .innerJoin('places as p', 'p.id', 'r.placeId')
      .select(['r.id', 'r.title', 'r.localName', 'r.stage', 'r.startsAt', 'p.name as placeName'])
      .where('r.stage', 'in', TAKING)
      .where('r.placeId', 'in', placesOf(communityId))
      // Those still collecting topics (提事) first, then a meeting under way (议事).
      .orderBy(sql`r.stage = 'raise'`, 'desc')
      .orderBy('r.startsAt')
      .orderBy('r.id')
      .execute()
  );
}

/** Whether the roundtable is held at the community or at a place below it. */
export async function roundtableInCommunity(
  db: DbOrTx,
  roundtableId: string,
  communityId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('roundtables')
    .select('id')
    .where('id', '=', roundtableId)
    .where('placeId', 'in', placesOf(communityId))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The report's photos, copied onto the topic in their order: a photo has one owner
 * (photos_one_owner), and the bytes are copied inside the database, never through the server.
 * Returns how many were copied.
 */
export async function copyProblemPhotosToTopic(
  tx: DbOrTx,
  problemId: string,
  topicId: string,
): Promise<number> {
  const { rows } = await sql<{ id: string }>`
    insert into photos (uploaded_by, content_type, bytes, width, height, topic_id, position,
      attached_at)
    select uploaded_by, content_type, bytes, width, height, ${topicId}::uuid, position, now()
    from photos where problem_id = ${problemId} order by position
    returning id`.execute(tx);
  return rows.length;
}

/**
 * The report now points at its topic. `problem_reports_topic_once` makes a topic the topic of
 * one report only; the report's own row lock makes a report raised once.
 */
export async function linkProblemToTopic(tx: DbOrTx, problemId: string, topicId: string) {
  await tx
    .updateTable('problemReports')
    .set({ topicId, updatedAt: new Date() })
    .where('id', '=', problemId)
    .execute();
}

/** The report each topic was raised from (topics from nowhere are left out). */
export async function problemsOfTopics(
  db: DbOrTx,
  topicIds: string[],
): Promise<Map<string, string>> {
  if (topicIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('problemReports')
    .select(['id', 'topicId'])
    .where('topicId', 'in', topicIds)
    .execute();
  return new Map(rows.map((r) => [r.topicId!, r.id]));
}

/** The title of the topic a report became (its outcome on the report's page). */
export async function topicTitleOf(db: DbOrTx, topicId: string): Promise<string | null> {
  const row = await db
    .selectFrom('topics')
    .select('title')
    .where('id', '=', topicId)
    .executeTakeFirst();
  return row?.title ?? null;
}

/**
 * The reporters of a duplicate merged into a raised report co-sign its topic (not its raiser,
 * who does not co-sign a topic they raised). Returns the topic's roundtable, whose room changed.
 */
export async function cosignRaisedTopic(
  tx: DbOrTx,
  topicId: string,
  userIds: string[],
): Promise<string> {
  const topic = await tx
    .selectFrom('topics')
    .select(['roundtableId', 'raisedBy'])
    .where('id', '=', topicId)
    .executeTakeFirstOrThrow();
  for (const userId of userIds)
    if (userId !== topic.raisedBy) await insertCosign(tx, topicId, userId);
  return topic.roundtableId;
}
