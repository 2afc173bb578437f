import { sql } from 'kysely';
import {
  handlesReport,
  type ProblemCategory,
  type ProblemHandlerFacts,
  type ProblemOwner,
  type ProblemStatus,
} from '@tongxin/shared/problems/problems';
import type { DbOrTx } from '../create-db.ts';
import type { ProblemEventKind } from './problems.tables.ts';
import { ownerPeople } from './routing.queries.ts';

/**
 * A compound or building of the community, with the grid a building belongs to; undefined
 * when the place is anything else (another community's, a grid, the community itself).
 */
export async function placeInCommunity(db: DbOrTx, placeId: string, communityId: string) {
  const { rows } = await sql<{ id: string; gridId: string | null }>`
    select p.id, p.grid_id as "gridId" from places p
    left join places parent on parent.id = p.parent_id
    where p.id = ${placeId} and (
      (p.kind = 'compound' and p.parent_id = ${communityId})
      or (p.kind = 'building' and parent.parent_id = ${communityId})
    )`.execute(db);
  return rows[0];
}

/** The community a report may be made in (a place of kind community). */
export function findCommunity(db: DbOrTx, id: string) {
  return db
    .selectFrom('places')
    .select(['id', 'name'])
    .where('id', '=', id)
    .where('kind', '=', 'community')
    .executeTakeFirst();
}

export interface NewProblem {
  communityId: string;
  reporterId: string;
  category: ProblemCategory;
  description: string;
  placeId: string | null;
  location: string | null;
  gridId: string | null;
  respondBy: Date;
  /** The unit or team its category is routed to (routing.queries `ownerOfRoute`). */
  ownerUnitId?: string | null;
  ownerTeamId?: string | null;
}

/** The report, its reporter as its first follower and its first event: one statement. */
export async function insertProblem(db: DbOrTx, problem: NewProblem): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    with report as (
      insert into problem_reports (community_id, reporter_id, category, description, place_id,
        location, grid_id, respond_by, owner_unit_id, owner_team_id)
      values (${problem.communityId}, ${problem.reporterId}, ${problem.category},
        ${problem.description}, ${problem.placeId}, ${problem.location}, ${problem.gridId},
        ${problem.respondBy}, ${problem.ownerUnitId ?? null}::uuid,
        ${problem.ownerTeamId ?? null}::uuid)
      returning id
    ), follower as (
      insert into problem_followers (problem_id, user_id)
      select id, ${problem.reporterId}::uuid from report
    ), event as (
      insert into problem_events (problem_id, actor_id, kind)
      select id, ${problem.reporterId}::uuid, 'submitted' from report
    )
    select id from report`.execute(db);
  return rows[0]!.id;
}

/**
 * Reports' rows locked for a change of state (one report, one answer at a time), always in
 * id order, so commands that lock two never wait on each other in a circle.
 */
export function lockProblems(tx: DbOrTx, ids: string[]) {
  return tx
    .selectFrom('problemReports')
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export function findProblem(db: DbOrTx, id: string) {
  return db.selectFrom('problemReports').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface ProblemChange {
  status: ProblemStatus;
  handlerId?: string;
  declineReason?: string | null;
  mergedInto?: string | null;
  resolveBy?: Date | null;
  escalatedAt?: Date | null;
  rating?: 'satisfied' | 'basically_satisfied' | 'dissatisfied' | null;
}

export async function updateProblem(db: DbOrTx, id: string, change: ProblemChange) {
  await db
    .updateTable('problemReports')
    .set({ ...change, updatedAt: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function insertProblemEvent(
  db: DbOrTx,
  event: {
    problemId: string;
    actorId: string | null;
    kind: ProblemEventKind;
    note?: string | null;
  },
): Promise<string> {
  const row = await db
    .insertInto('problemEvents')
    .values({ ...event, note: event.note ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Whether the user answers this report (the rule: shared `handlesReport`): a secretary of its
 * community or a place above it; else whoever it was routed to — the unit's representatives,
 * the team's active leaders, or, routed to nobody, the grid worker of its grid.
 */
export async function handlesProblem(
  db: DbOrTx,
  userId: string,
  problem: { communityId: string; gridId: string | null } & Partial<ProblemOwner>,
): Promise<boolean> {
  const owner = {
    ownerUnitId: problem.ownerUnitId ?? null,
    ownerTeamId: problem.ownerTeamId ?? null,
  };
  const { rows } = await sql<ProblemHandlerFacts>`
    with recursive up(id) as (
      select ${problem.communityId}::uuid
      union all
      select p.parent_id from up join places p on p.id = up.id where p.parent_id is not null
    )
    select
      exists(select 1 from role_assignments ra where ra.user_id = ${userId}
        and ra.role = 'secretary' and ra.place_id in (select id from up)) as secretary,
      exists(select 1 from role_assignments ra where ra.user_id = ${userId}
        and ra.role = 'grid_worker' and ra.place_id = ${problem.gridId}::uuid) as "gridWorker",
      exists(select 1 from role_assignments ra where ra.user_id = ${userId}
        and ra.role = 'unit_rep' and ra.unit_id = ${owner.ownerUnitId}::uuid) as "unitRep",
      exists(select 1 from team_members tm where tm.user_id = ${userId}
        and tm.team_id = ${owner.ownerTeamId}::uuid and tm.role = 'leader'
        and tm.status = 'active') as "teamLeader"`.execute(db);
  const facts = rows[0];
  return facts !== undefined && handlesReport(owner, facts);
}

export async function isFollower(db: DbOrTx, problemId: string, userId: string) {
  const row = await db
    .selectFrom('problemFollowers')
    .select('userId')
    .where('problemId', '=', problemId)
    .where('userId', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function followersOf(db: DbOrTx, problemId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('problemFollowers')
    .select('userId')
    .where('problemId', '=', problemId)
    .execute();
  return rows.map((r) => r.userId);
}

/** The reporters of a merged duplicate follow the report it was merged into. */
export async function moveFollowers(db: DbOrTx, from: string, into: string): Promise<void> {
  await sql`
    insert into problem_followers (problem_id, user_id)
    select ${into}::uuid, user_id from problem_followers where problem_id = ${from}
    on conflict do nothing`.execute(db);
  await db
    .updateTable('problemReports')
    .set({ updatedAt: new Date() })
    .where('id', '=', into)
    .execute();
}

/**
 * Who is told of a new report: the unit's representatives or the team's leaders it is routed
 * to, else its grid's workers; when nobody is there, the community's secretaries.
 */
export async function receiversOf(
  db: DbOrTx,
  problem: { communityId: string; gridId: string | null } & Partial<ProblemOwner>,
): Promise<string[]> {
  const owner = {
    ownerUnitId: problem.ownerUnitId ?? null,
    ownerTeamId: problem.ownerTeamId ?? null,
  };
  if (owner.ownerUnitId || owner.ownerTeamId) {
    const people = await ownerPeople(db, owner);
    if (people.length) return people;
  } else if (problem.gridId) {
    const workers = await db
      .selectFrom('roleAssignments')
      .select('userId')
      .where('role', '=', 'grid_worker')
      .where('placeId', '=', problem.gridId)
      .execute();
    if (workers.length) return workers.map((w) => w.userId);
  }
  return secretariesOf(db, problem.communityId);
}

export async function secretariesOf(db: DbOrTx, communityId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('roleAssignments')
    .select('userId')
    .distinct()
    .where('role', '=', 'secretary')
    .where('placeId', '=', communityId)
    .execute();
  return rows.map((r) => r.userId);
}

const summaryColumns = [
  'r.id',
  'r.communityId',
  'r.category',
  'r.description',
  'r.placeId',
  // A building is named with its compound: "阳光花园 · 1号楼".
  sql<string>`case when pl.kind = 'building' then parent.name || ' · ' || pl.name else pl.name end`.as(
    'placeName',
  ),
  'r.location',
  'r.status',
  'r.escalatedAt',
  'r.respondBy',
  'r.resolveBy',
  'r.createdAt',
  'r.updatedAt',
] as const;

// Each summary says too which roundtable topic the report was raised to, if any (tp, rtb).

function summaries(db: DbOrTx) {
  return db
    .selectFrom('problemReports as r')
    .leftJoin('places as pl', 'pl.id', 'r.placeId')
    .leftJoin('places as parent', 'parent.id', 'pl.parentId')
    .leftJoin('topics as tp', 'tp.id', 'r.topicId')
    .leftJoin('roundtables as rtb', 'rtb.id', 'tp.roundtableId')
    .select(summaryColumns)
    .select(['r.topicId', 'rtb.id as raisedToId', 'rtb.title as raisedToTitle'])
    .select((eb) => [
      eb
        .selectFrom('problemFollowers as f')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('f.problemId', '=', 'r.id')
        .as('followers'),
      sql<string[]>`coalesce((select array_agg(ph.id order by ph.position) from photos ph
        where ph.problem_id = r.id), '{}')`.as('photoIds'),
    ]);
}

export type ProblemSummaryRow = Awaited<ReturnType<typeof listProblems>>[number];

/** A community's reports, newest first (merged duplicates are shown on what they joined). */
export function listProblems(
  db: DbOrTx,
  communityId: string,
  filter: { status?: ProblemStatus; limit: number },
) {
  let query = summaries(db).where('r.communityId', '=', communityId);
  query = filter.status
    ? query.where('r.status', '=', filter.status)
    : query.where('r.status', '!=', 'merged');
  return query.orderBy('r.createdAt', 'desc').orderBy('r.id').limit(filter.limit).execute();
}

/** Reports the user made or follows, newest first. */
export function problemsFollowedBy(db: DbOrTx, userId: string, limit = 50) {
  return summaries(db)
    .where('r.id', 'in', (eb) =>
      eb.selectFrom('problemFollowers').select('problemId').where('userId', '=', userId),
    )
    .orderBy('r.updatedAt', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Reports waiting on the user as their grid's worker (routed to nobody else), as the
 * representative of the unit or leader of the team they were routed to, or as secretary,
 * oldest deadline first.
 */
export function problemsHandledBy(db: DbOrTx, userId: string, limit = 100) {
  return summaries(db)
    .where('r.status', 'in', ['submitted', 'accepted', 'in_hand'])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('r.ownerUnitId', 'is', null),
          eb('r.ownerTeamId', 'is', null),
          eb(
            'r.gridId',
            'in',
            eb
              .selectFrom('roleAssignments')
              .select('placeId')
              .where('userId', '=', userId)
              .where('role', '=', 'grid_worker'),
          ),
        ]),
        eb(
          'r.ownerUnitId',
          'in',
          eb
            .selectFrom('roleAssignments')
            .select('unitId')
            .where('userId', '=', userId)
            .where('role', '=', 'unit_rep'),
        ),
        eb(
          'r.ownerTeamId',
          'in',
          eb
            .selectFrom('teamMembers')
            .select('teamId')
            .where('userId', '=', userId)
            .where('role', '=', 'leader')
            .where('status', '=', 'active'),
        ),
        eb(
          'r.communityId',
          'in',
          eb
            .selectFrom('roleAssignments')
            .select('placeId')
            .where('userId', '=', userId)
            .where('role', '=', 'secretary'),
        ),
      ]),
    )
    .orderBy(sql`coalesce(r.resolve_by, r.respond_by)`)
    .limit(limit)
    .execute();
}

/** Open reports of the same kind nearby in the last 30 days: likely the same problem. */
export function similarProblems(
  db: DbOrTx,
  query: { communityId: string; category: ProblemCategory; placeId?: string | undefined },
  now: Date,
) {
  let q = summaries(db)
    .where('r.communityId', '=', query.communityId)
    .where('r.category', '=', query.category)
    .where('r.status', 'in', ['submitted', 'accepted', 'in_hand'])
    .where('r.createdAt', '>', new Date(now.getTime() - 30 * 86_400_000));
  if (query.placeId) {
    const placeId = query.placeId;
    // The same place, or the same compound (a building's parent, or the compound itself).
    q = q.where((eb) =>
      eb.or([
        eb('r.placeId', '=', placeId),
        eb(
          'r.placeId',
          'in',
          sql<string>`(select id from places where parent_id = coalesce(
            (select parent_id from places where id = ${placeId} and kind = 'building'), ${placeId}))`,
        ),
        eb(
          'r.placeId',
          '=',
          sql<string>`(select parent_id from places where id = ${placeId} and kind = 'building')`,
        ),
      ]),
    );
  }
  return q.orderBy('r.createdAt', 'desc').limit(5).execute();
}

/** One report with the names around it. */
export function problemDetail(db: DbOrTx, id: string) {
  return summaries(db)
    .innerJoin('places as c', 'c.id', 'r.communityId')
    .leftJoin('places as g', 'g.id', 'r.gridId')
    .innerJoin('users as rep', 'rep.id', 'r.reporterId')
    .leftJoin('users as h', 'h.id', 'r.handlerId')
    .select([
      'c.name as communityName',
      'r.gridId',
      'g.name as gridName',
      'r.declineReason',
      'r.mergedInto',
      'r.rating',
      'rep.displayName as reporterName',
      'h.displayName as handlerName',
      'r.gridId as dispatchGridId',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
}

export function problemEventsOf(db: DbOrTx, problemId: string) {
  return db
    .selectFrom('problemEvents as e')
    .leftJoin('users as u', 'u.id', 'e.actorId')
    .select(['e.id', 'e.kind', 'e.note', 'e.createdAt', 'e.actorId', 'u.displayName as actorName'])
    .select(
      sql<string[]>`coalesce((select array_agg(ph.id order by ph.position) from photos ph
        where ph.problem_event_id = e.id), '{}')`.as('photoIds'),
    )
    .where('e.problemId', '=', problemId)
    .orderBy('e.createdAt')
    .orderBy('e.seq')
    .execute();
}

/**
 * Reports past their time limit and not yet escalated, locked (SKIP LOCKED: two instances
 * sweeping at once take different rows), so each is escalated exactly once. A report raised
 * to a roundtable is left out: the roundtable's process owns it (see `isOverdue`).
 */
export function takeOverdueProblems(tx: DbOrTx, now: Date, limit = 200) {
  return tx
    .selectFrom('problemReports')
    .select(['id', 'communityId', 'category', 'description', 'status'])
    .where('escalatedAt', 'is', null)
    .where('topicId', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'submitted'), eb('respondBy', '<', now)]),
        eb.and([eb('status', 'in', ['accepted', 'in_hand']), eb('resolveBy', '<', now)]),
      ]),
    )
    .orderBy('respondBy')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markEscalated(tx: DbOrTx, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx.updateTable('problemReports').set({ escalatedAt: now }).where('id', 'in', ids).execute();
  await tx
    .insertInto('problemEvents')
    .values(ids.map((problemId) => ({ problemId, actorId: null, kind: 'escalated' as const })))
    .execute();
}

/** The points the user was credited for this report (their ledger entries for it), if any. */
export async function pointsCreditedFor(
  db: DbOrTx,
  userId: string,
  problemId: string,
): Promise<number | null> {
  const row = await db
    .selectFrom('pointsLedger')
    .select((eb) => eb.fn.sum<string | null>('delta').as('sum'))
    .where('userId', '=', userId)
    .where('problemId', '=', problemId)
    .executeTakeFirst();
  return row?.sum == null ? null : Number(row.sum);
}
