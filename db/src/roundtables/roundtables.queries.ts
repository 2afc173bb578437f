import { sql } from 'kysely';
import type { DbOrTx } from '../create-db.ts';

export function findRoundtable(db: DbOrTx, id: string) {
  return db
    .selectFrom('roundtables as r')
    .innerJoin('places as p', 'p.id', 'r.placeId')
    .innerJoin('users as c', 'c.id', 'r.chairId')
    .selectAll('r')
    .select(['p.name as placeName', 'c.displayName as chairName'])
    .where('r.id', '=', id)
    .executeTakeFirst();
}
export type RoundtableRow = NonNullable<Awaited<ReturnType<typeof findRoundtable>>>;

/**
 * Locks the roundtable row for the rest of the transaction: commands on one table queue up.
 * FOR NO KEY UPDATE, not FOR UPDATE: a row inserted elsewhere that points at the roundtable
 * (a ballot's attendance, a topic) share-locks its key, and must not wait for a command
 * that may itself be waiting for that inserter (see docs/decisions/0007, "Lock order").
 */
export function lockRoundtable(tx: DbOrTx, id: string) {
  return tx
    .selectFrom('roundtables')
    .selectAll()
    .where('id', '=', id)
    .forNoKeyUpdate()
    .executeTakeFirst();
}

/**
 * Roundtables at the given places, and those the user was asked to by name (a guest by its
 * link, a representative of an invited unit), which may be elsewhere: latest first.
 */
export function listRoundtables(db: DbOrTx, placeIds: string[], userId: string) {
  return db
    .selectFrom('roundtables as r')
    .innerJoin('places as p', 'p.id', 'r.placeId')
    .select([
      'r.id',
      'r.title',
      'r.localName',
      'r.startsAt',
      'r.stage',
      'r.placeId',
      'r.chairId',
      'p.name as placeName',
    ])
    .where((eb) =>
      eb.or([
        ...(placeIds.length ? [eb('r.placeId', 'in', placeIds)] : []),
        eb(
          'r.id',
          'in',
          eb.selectFrom('roundtableGuests').select('roundtableId').where('userId', '=', userId),
        ),
        eb(
          'r.id',
          'in',
          eb
            .selectFrom('roundtableUnits as ru')
            .innerJoin('roleAssignments as ra', 'ra.unitId', 'ru.unitId')
            .select('ru.roundtableId')
            .where('ra.userId', '=', userId)
            .where('ra.role', '=', 'unit_rep'),
        ),
        eb(
          'r.id',
          'in',
          eb.selectFrom('actionItems').select('roundtableId').where('ownerUserId', '=', userId),
        ),
      ]),
    )
    .orderBy('r.startsAt', 'desc')
    .limit(200)
    .execute();
}

export function listTopics(db: DbOrTx, roundtableId: string, viewerId: string) {
  return (
    db
      .selectFrom('topics as t')
      .innerJoin('users as u', 'u.id', 't.raisedBy')
      .selectAll('t')
      .select('u.displayName as raiserName')
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom('topicCosigns as c')
              .select('c.topicId')
              .whereRef('c.topicId', '=', 't.id')
              .where('c.userId', '=', viewerId),
          )
          .as('cosignedByMe'),
      )
      // The 随手拍 report it was raised from, if any (problem_reports_topic_once: one at most).
      .select((eb) =>
        eb
          .selectFrom('problemReports as pr')
          .select('pr.id')
          .whereRef('pr.topicId', '=', 't.id')
          .as('fromProblemId'),
      )
      .where('t.roundtableId', '=', roundtableId)
      .orderBy(sql`t.agenda_position nulls last`)
      .orderBy('t.createdAt')
      .execute()
  );
}

export function findTopic(db: DbOrTx, id: string) {
  return db.selectFrom('topics').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The places whose roundtables a user sees: where they hold a role, everything below it
 * (a community secretary sees compound meetings) and above it (a compound resident sees
 * the community's meetings).
 */
export async function placesOfUser(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    with recursive mine as (
      select place_id as id from role_assignments where user_id = ${userId}
    ), down(id) as (
      select id from mine
      union
      select p.id from places p join down on p.parent_id = down.id
    ), up(id) as (
      select id from mine
      union
      select p.parent_id from places p join up on p.id = up.id where p.parent_id is not null
    )
    select id from down union select id from up`.execute(db);
  return rows.rows.map((r) => r.id);
}
