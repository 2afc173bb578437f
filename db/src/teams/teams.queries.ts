import { sql } from 'kysely';
import type { DbOrTx } from '../create-db.ts';
import type { Activity, Signup, Team } from './teams.tables.ts';

export function findTeam(db: DbOrTx, id: string): Promise<Team | undefined> {
  return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
}

export function teamsOfCommunity(db: DbOrTx, communityId: string): Promise<Team[]> {
  return db
    .selectFrom('teams')
    .selectAll()
    .where('communityId', '=', communityId)
    .orderBy('createdAt')
    .execute();
}

export interface TeamMemberRow {
  teamId: string;
  userId: string;
  name: string;
  role: 'leader' | 'member';
  status: 'pending' | 'active';
  createdAt: Date;
}

export function membersOfTeams(db: DbOrTx, teamIds: readonly string[]): Promise<TeamMemberRow[]> {
  if (!teamIds.length) return Promise.resolve([]);
  return db
    .selectFrom('teamMembers as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select(['m.teamId', 'm.userId', 'u.displayName as name', 'm.role', 'm.status', 'm.createdAt'])
    .where('m.teamId', 'in', teamIds)
    .orderBy('m.role')
    .orderBy('m.createdAt')
    .execute();
}

/** Teams this user leads. */
export type ActivityRow = Activity & {
  teamName: string | null;
  teamKind: string | null;
  waitlisted: number;
};

function activityRows(db: DbOrTx) {
  return db
    .selectFrom('activities as a')
    .leftJoin('teams as t', 't.id', 'a.teamId')
    .selectAll('a')
    .select(['t.name as teamName', 't.kind as teamKind'])
    .select(
      sql<number>`(select count(*)::int from signups s
        where s.activity_id = a.id and s.status = 'waitlisted')`.as('waitlisted'),
    );
}

export function findActivityRow(db: DbOrTx, id: string): Promise<ActivityRow | undefined> {
  return activityRows(db).where('a.id', '=', id).executeTakeFirst();
}

export function findActivityByCode(db: DbOrTx, code: string): Promise<Activity | undefined> {
  return db.selectFrom('activities').selectAll().where('checkinCode', '=', code).executeTakeFirst();
}

export interface ActivityFilter {
  from: Date;
  to?: Date;
  teamKind?: string;
  teamId?: string;
}

export function listActivityRows(
  db: DbOrTx,
  communityId: string,
  f: ActivityFilter,
): Promise<ActivityRow[]> {
  let q = activityRows(db).where('a.communityId', '=', communityId).where('a.endsAt', '>', f.from);
  if (f.to) q = q.where('a.startsAt', '<', f.to);
  if (f.teamKind) q = q.where('t.kind', '=', f.teamKind as never);
  if (f.teamId) q = q.where('a.teamId', '=', f.teamId);
  return q.orderBy('a.startsAt').orderBy('a.id').limit(200).execute();
}

/** The activity, locked until the transaction ends: sign-ups on one activity queue here. */
export function lockActivity(db: DbOrTx, id: string): Promise<Activity | undefined> {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function findSignup(db: DbOrTx, id: string): Promise<Signup | undefined> {
  return db.selectFrom('signups').selectAll().where('id', '=', id).executeTakeFirst();
}

export type SignupWithPlace = Signup & {
  /** 1 = next in line; null unless waitlisted. */
  waitlistPosition: number | null;
};

/** The user's sign-ups (not cancelled) on the given activities, with their place in line. */
export function liveSignupsOf(
  db: DbOrTx,
  userId: string,
  activityIds: readonly string[],
): Promise<SignupWithPlace[]> {
  if (!activityIds.length) return Promise.resolve([]);
  return db
    .selectFrom('signups as s')
    .selectAll('s')
    .select(
      sql<number | null>`case when s.status = 'waitlisted' then (select count(*)::int from signups w
        where w.activity_id = s.activity_id and w.status = 'waitlisted' and w.arrival <= s.arrival)
        end`.as('waitlistPosition'),
    )
    .where('s.userId', '=', userId)
    .where('s.activityId', 'in', activityIds)
    .where('s.status', '<>', 'cancelled')
    .execute();
}

/** Waitlisted sign-ups in arrival order, per activity. */
export async function waitlistsOf(
  db: DbOrTx,
  activityIds: readonly string[],
): Promise<Map<string, string[]>> {
  const lists = new Map<string, string[]>(activityIds.map((id) => [id, []]));
  if (!activityIds.length) return lists;
  const rows = await db
    .selectFrom('signups')
    .select(['id', 'activityId'])
    .where('activityId', 'in', activityIds)
    .where('status', '=', 'waitlisted')
    .orderBy('arrival')
    .execute();
  for (const r of rows) lists.get(r.activityId)?.push(r.id);
  return lists;
}

/** How many people have checked in on each activity (QR or the leader). */
export async function presentCountsOf(
  db: DbOrTx,
  activityIds: readonly string[],
): Promise<Map<string, number>> {
  if (!activityIds.length) return new Map();
  const rows = await db
    .selectFrom('signups')
    .select((eb) => ['activityId', eb.fn.countAll<string>().as('n')])
    .where('activityId', 'in', activityIds)
    .where('status', '=', 'confirmed')
    .where('attendance', '=', 'present')
    .groupBy('activityId')
    .execute();
  return new Map(rows.map((r) => [r.activityId, Number(r.n)]));
}

/** The activities this user holds or waits for, from `from` on. */
export async function activityRowsOfUser(
  db: DbOrTx,
  userId: string,
  from: Date,
): Promise<ActivityRow[]> {
  return activityRows(db)
    .where('a.endsAt', '>', from)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('signups as s')
          .select('s.id')
          .whereRef('s.activityId', '=', 'a.id')
          .where('s.userId', '=', userId)
          .where('s.status', '<>', 'cancelled'),
      ),
    )
    .orderBy('a.startsAt')
    .execute();
}

export interface RosterRow extends Signup {
  name: string;
  phone: string | null;
}

function rosterQuery(db: DbOrTx) {
  return db
    .selectFrom('signups as s')
    .innerJoin('users as u', 'u.id', 's.userId')
    .selectAll('s')
    .select(['u.displayName as name', 'u.phone']);
}

export function rosterRow(db: DbOrTx, signupId: string): Promise<RosterRow> {
  return rosterQuery(db).where('s.id', '=', signupId).executeTakeFirstOrThrow();
}

export function rosterRows(db: DbOrTx, activityId: string): Promise<RosterRow[]> {
  return rosterQuery(db)
    .where('s.activityId', '=', activityId)
    .where('s.status', '<>', 'cancelled')
    .orderBy('s.status')
    .orderBy('s.arrival')
    .execute();
}
