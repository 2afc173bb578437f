import { sql } from 'kysely';
import type { DbOrTx } from '../create-db.ts';

/*
 * 待办 "what needs me": one statement per section of the home page, each scoped by the
 * viewer's own roles (or by the roundtables and communities the server already judged them
 * part of), never one statement per record.
 */

/** The communities the user is the secretary of: held at the community or a place above it. */
export async function secretaryCommunities(
  db: DbOrTx,
  userId: string,
): Promise<Array<{ id: string; name: string }>> {
  const { rows } = await sql<{ id: string; name: string }>`
    with recursive down(id) as (
      select place_id from role_assignments where user_id = ${userId} and role = 'secretary'
      union
      select p.id from places p join down on p.parent_id = down.id
    )
    select p.id, p.name from places p join down on down.id = p.id
    where p.kind = 'community' order by p.name`.execute(db);
  return rows;
}

/** Topics raised and not yet screened, counted per roundtable. */
export async function unscreenedTopicCounts(
  db: DbOrTx,
  roundtableIds: string[],
): Promise<Map<string, number>> {
  if (roundtableIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('topics')
    .select(['roundtableId', sql<number>`count(*)::int`.as('n')])
    .where('roundtableId', 'in', roundtableIds)
    .where('status', '=', 'submitted')
    .groupBy('roundtableId')
    .execute();
  return new Map(rows.map((r) => [r.roundtableId, Number(r.n)]));
}

/**
 * Done action items the user has not rated in their current round, counted per roundtable
 * (of those given: the ones in 办事 or 评事 the user takes part in), with the nearest item
 * deadline. Items the user owns themselves are not theirs to rate.
 */
export function unratedItemCounts(db: DbOrTx, userId: string, roundtableIds: string[]) {
  if (roundtableIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('actionItems as a')
    .select([
      'a.roundtableId',
      sql<number>`count(*)::int`.as('n'),
      sql<string>`to_char(min(a.deadline), 'YYYY-MM-DD')`.as('deadline'),
    ])
    .where('a.roundtableId', 'in', roundtableIds)
    .where('a.status', '=', 'done')
    .where((eb) => eb.or([eb('a.ownerUserId', 'is', null), eb('a.ownerUserId', '!=', userId)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('ratings as rt')
            .select('rt.itemId')
            .whereRef('rt.itemId', '=', 'a.id')
            .whereRef('rt.round', '=', 'a.round')
            .where('rt.userId', '=', userId),
        ),
      ),
    )
    .groupBy('a.roundtableId')
    .execute();
}

/** Per community of those given: wishes to review, member reports and deliveries to confirm. */
export function reviewCounts(db: DbOrTx, communityIds: string[]) {
  if (communityIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('places as c')
    .select((eb) => [
      'c.id',
      'c.name',
      eb
        .selectFrom('claimItems as i')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('i.communityId', '=', 'c.id')
        .where('i.status', '=', 'pending_review')
        .as('wishes'),
      eb
        .selectFrom('memberReports as m')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('m.communityId', '=', 'c.id')
        .where('m.status', '=', 'pending')
        .as('members'),
      eb
        .selectFrom('claims as cl')
        .innerJoin('claimItems as i', 'i.id', 'cl.itemId')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('i.communityId', '=', 'c.id')
        .where('cl.status', '=', 'delivered')
        .as('deliveries'),
      eb
        .selectFrom('claims as cl')
        .innerJoin('claimItems as i', 'i.id', 'cl.itemId')
        .select(sql<Date>`min(cl.delivered_at)`.as('since'))
        .whereRef('i.communityId', '=', 'c.id')
        .where('cl.status', '=', 'delivered')
        .as('deliveredSince'),
    ])
    .where('c.id', 'in', communityIds)
    .execute();
}

/**
 * Deliveries on micro-wishes the user made, waiting for them to confirm, outside the
 * communities given (where they confirm as secretary anyway).
 */
export function deliveriesOnMyWishes(db: DbOrTx, userId: string, exceptCommunities: string[]) {
  let q = db
    .selectFrom('claims as cl')
    .innerJoin('claimItems as i', 'i.id', 'cl.itemId')
    .innerJoin('places as c', 'c.id', 'i.communityId')
    .select([
      'cl.id',
      'i.id as itemId',
      'i.title',
      'c.id as communityId',
      'c.name as communityName',
    ])
    .select('cl.deliveredAt')
    .where('cl.status', '=', 'delivered')
    .where('i.kind', '=', 'wish')
    .where('i.postedBy', '=', userId);
  if (exceptCommunities.length) q = q.where('i.communityId', 'not in', exceptCommunities);
  return q.orderBy('cl.deliveredAt').limit(50).execute();
}

/**
 * Reports waiting on the user: every open one in a grid they are the grid worker of, and in
 * the communities they are secretary of those escalated, overdue, or in no grid with a
 * worker (which only the secretary answers). Overdue first, then by deadline; those raised
 * to a roundtable last (their own deadlines do not run there).
 */
export function problemsWaitingOn(
  db: DbOrTx,
  userId: string,
  secretaryOf: string[],
  now: Date,
  limit = 30,
) {
  // As `isOverdue`: never while raised to a roundtable, whose process owns it then.
  const overdue = sql<boolean>`(r.topic_id is null and (
    (r.status = 'submitted' and r.respond_by < ${now})
    or (r.status in ('accepted', 'in_hand') and r.resolve_by < ${now})))`;
  return db
    .selectFrom('problemReports as r')
    .innerJoin('places as c', 'c.id', 'r.communityId')
    .select([
      'r.id',
      'r.communityId',
      'c.name as communityName',
      'r.category',
      'r.description',
      'r.status',
      'r.respondBy',
      'r.resolveBy',
      'r.escalatedAt',
      'r.topicId',
      overdue.as('overdue'),
    ])
    .where('r.status', 'in', ['submitted', 'accepted', 'in_hand'])
    .where((eb) =>
      eb.or([
        eb(
          'r.gridId',
          'in',
          eb
            .selectFrom('roleAssignments')
            .select('placeId')
            .where('userId', '=', userId)
            .where('role', '=', 'grid_worker'),
        ),
        ...(secretaryOf.length
          ? [
              eb.and([
                eb('r.communityId', 'in', secretaryOf),
                eb.or([
                  eb('r.escalatedAt', 'is not', null),
                  eb(overdue, '=', true),
                  eb('r.gridId', 'is', null),
                  eb.not(
                    eb.exists(
                      eb
                        .selectFrom('roleAssignments as gw')
                        .select('gw.userId')
                        .whereRef('gw.placeId', '=', 'r.gridId')
                        .where('gw.role', '=', 'grid_worker'),
                    ),
                  ),
                ]),
              ]),
            ]
          : []),
      ]),
    )
    .orderBy(sql`${overdue} desc`)
    .orderBy(sql`r.topic_id is not null`)
    .orderBy(sql`coalesce(r.resolve_by, r.respond_by)`)
    .limit(limit)
    .execute();
}

/** The user's reports (followed) dealt with and waiting for them to confirm or reopen. */
export function myResolvedProblems(db: DbOrTx, userId: string) {
  return db
    .selectFrom('problemReports as r')
    .innerJoin('problemFollowers as f', 'f.problemId', 'r.id')
    .innerJoin('places as c', 'c.id', 'r.communityId')
    .select(['r.id', 'r.category', 'r.description', 'c.name as communityName', 'r.updatedAt'])
    .where('f.userId', '=', userId)
    .where('r.status', '=', 'resolved')
    .orderBy('r.updatedAt')
    .limit(20)
    .execute();
}

/**
 * Claims the user works on, for themselves (a party member) or for a unit they represent,
 * not yet delivered: nearest due first.
 */
export function myOpenClaims(db: DbOrTx, userId: string) {
  return db
    .selectFrom('claims as cl')
    .innerJoin('claimItems as i', 'i.id', 'cl.itemId')
    .innerJoin('places as c', 'c.id', 'i.communityId')
    .leftJoin('units as u', 'u.id', 'cl.unitId')
    .select([
      'cl.id',
      'cl.status',
      'i.id as itemId',
      'i.title',
      'i.dueAt',
      'c.name as communityName',
      'u.name as unitName',
    ])
    .where('cl.status', 'in', ['claimed', 'in_progress'])
    .where((eb) =>
      eb.or([
        eb.and([eb('cl.unitId', 'is', null), eb('cl.userId', '=', userId)]),
        eb(
          'cl.unitId',
          'in',
          eb
            .selectFrom('roleAssignments')
            .select('unitId')
            .where('userId', '=', userId)
            .where('role', '=', 'unit_rep'),
        ),
      ]),
    )
    .orderBy(sql`i.due_at nulls last`)
    .limit(30)
    .execute();
}

/** Activities the user holds a place on, starting between `from` and `until`. */
export function myActivitiesBetween(db: DbOrTx, userId: string, from: Date, until: Date) {
  return db
    .selectFrom('signups as s')
    .innerJoin('activities as a', 'a.id', 's.activityId')
    .leftJoin('teams as t', 't.id', 'a.teamId')
    .select(['a.id', 'a.title', 'a.place', 'a.startsAt', 't.name as teamName'])
    .where('s.userId', '=', userId)
    .where('s.status', '=', 'confirmed')
    .where('a.status', '=', 'scheduled')
    .where('a.startsAt', '>=', from)
    .where('a.startsAt', '<', until)
    .orderBy('a.startsAt')
    .limit(20)
    .execute();
}

/** Action items the user owns in person and has not finished: nearest deadline first. */
export function myOpenActionItems(db: DbOrTx, userId: string) {
  return db
    .selectFrom('actionItems as a')
    .innerJoin('roundtables as r', 'r.id', 'a.roundtableId')
    .select(['a.id', 'a.title', 'a.status', 'r.id as roundtableId', 'r.title as roundtableTitle'])
    .select(sql<string>`to_char(a.deadline, 'YYYY-MM-DD')`.as('deadline'))
    .where('a.ownerUserId', '=', userId)
    .where('a.status', '!=', 'done')
    .where('r.stage', '!=', 'closed')
    .orderBy('a.deadline')
    .limit(30)
    .execute();
}
