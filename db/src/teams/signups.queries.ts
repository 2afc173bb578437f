import { sql } from 'kysely';
import type { DbOrTx } from '../create-db.ts';
import type { ActivityRow, SignupWithPlace } from './teams.queries.ts';

/** What one sign-up statement did, with what it saw to explain a refusal. */
export interface SignupAttempt {
  communityId: string;
  /** The volunteer holds a role at, above or below the activity's community. */
  belongs: boolean;
  /** Refused unless an active member of the activity's team. */
  membersOnly: boolean;
  member: boolean;
  /** Null when nothing was taken: refused above, or the activity is cancelled or has started. */
  signupId: string | null;
  status: 'confirmed' | 'waitlisted' | null;
}

/**
 * Signs one person up in one statement, so the activity's row lock is held for that statement
 * only and no transaction is needed around it. It checks who may sign up (a role in the
 * community, an active member for members-only activities), then, under the lock, takes the next
 * arrival number and — while `confirmed_count < capacity` (the CHECK is the last word) — a
 * place, otherwise a waiting-list slot, and writes the audit row. A second live sign-up by
 * the same person fails on the partial unique index (23505) and changes nothing.
 * Undefined: no such activity.
 */
export async function takeSignup(
  db: DbOrTx,
  activityId: string,
  userId: string,
  now: Date,
): Promise<SignupAttempt | undefined> {
  const result = await sql<SignupAttempt>`
    with recursive act as (
      select id, community_id, team_id, members_only from activities where id = ${activityId}
    ), up(id, parent_id) as (
      select p.id, p.parent_id from places p join act on p.id = act.community_id
      union all
      select p.id, p.parent_id from places p join up on p.id = up.parent_id
    ), down(id) as (
      select community_id from act
      union
      select p.id from places p join down on p.parent_id = down.id
    ), who as (
      select
        exists (select 1 from role_assignments r where r.user_id = ${userId}
          and (r.place_id in (select id from up) or r.place_id in (select id from down))) as belongs,
        exists (select 1 from team_members m join act on m.team_id = act.team_id
          where m.user_id = ${userId} and m.status = 'active') as member
    ), a as (
      select id, confirmed_count < capacity as place from activities
      where id = (select act.id from act, who
                  where who.belongs and (not act.members_only or who.member))
        and status = 'scheduled' and starts_at > ${now}
      for update
    ), u as (
      update activities
      set signup_seq = signup_seq + 1,
          confirmed_count = confirmed_count + (case when a.place then 1 else 0 end)
      from a where activities.id = a.id
      returning activities.signup_seq as arrival, a.place
    ), s as (
      insert into signups (activity_id, user_id, status, arrival)
      select ${activityId}, ${userId},
             case when u.place then 'confirmed' else 'waitlisted' end, u.arrival
      from u
      returning id, activity_id, status
    ), audit as (
      insert into audit_log (actor_id, action, target_type, target_id, details)
      select ${userId}, 'signup.create', 'signup', s.id,
             jsonb_build_object('activityId', s.activity_id, 'status', s.status)
      from s
    )
    select act.community_id, act.members_only, who.belongs, who.member,
           s.id as signup_id, s.status
    from act cross join who left join s on true`.execute(db);
  return result.rows[0];
}

/** One of my other activities overlapping the one I signed up for (a warning, not a refusal). */
export interface OverlapRow {
  id: string;
  title: string;
  startsAt: Date;
}

/** My sign-up as an activity's page shows it. */
export type MineOnActivity = Pick<
  SignupWithPlace,
  'id' | 'status' | 'waitlistPosition' | 'attendance' | 'serviceMinutes'
>;

/** An activity as one person sees it right after signing up, read in one statement. */
export interface SignupView {
  row: ActivityRow;
  mine: MineOnActivity | null;
  /** A secretary at or above the activity's community (may manage it). */
  secretary: boolean;
  /** Their standing in the activity's team, if any. */
  standing: 'leader' | 'member' | 'pending' | null;
  overlaps: OverlapRow[];
}

/**
 * The activity with its counts, my sign-up and place in line, my standing, and only those of my
 * live sign-ups on scheduled activities that overlap it: however many activities I hold, the others
 * are never read.
 */
export async function signupView(
  db: DbOrTx,
  activityId: string,
  userId: string,
): Promise<SignupView | undefined> {
  const result = await sql<
    ActivityRow & {
      mine: MineOnActivity | null;
      secretary: boolean;
      standing: SignupView['standing'];
      overlaps: Array<{ id: string; title: string; startsAt: string }>;
    }
  >`
    with recursive act as (
      select a.*, t.name as team_name, t.kind as team_kind,
             (select count(*)::int from signups w
              where w.activity_id = a.id and w.status = 'waitlisted') as waitlisted
      from activities a left join teams t on t.id = a.team_id
      where a.id = ${activityId}
    ), up(id, parent_id) as (
      select p.id, p.parent_id from places p join act on p.id = act.community_id
      union all
      select p.id, p.parent_id from places p join up on p.id = up.parent_id
    )
    select act.*,
      (select jsonb_build_object('id', s.id, 'status', s.status, 'attendance', s.attendance,
                'serviceMinutes', s.service_minutes, 'waitlistPosition',
                case when s.status = 'waitlisted' then (select count(*)::int from signups w
                  where w.activity_id = s.activity_id and w.status = 'waitlisted'
                    and w.arrival <= s.arrival) end)
       from signups s
       where s.activity_id = act.id and s.user_id = ${userId} and s.status <> 'cancelled') as mine,
      exists (select 1 from role_assignments r where r.user_id = ${userId}
        and r.role = 'secretary' and r.place_id in (select id from up)) as secretary,
      (select case when m.status = 'pending' then 'pending' else m.role end
       from team_members m where m.team_id = act.team_id and m.user_id = ${userId}) as standing,
      coalesce((select jsonb_agg(jsonb_build_object('id', o.id, 'title', o.title,
                                                    'startsAt', o.starts_at) order by o.starts_at)
       from signups so join activities o on o.id = so.activity_id
       where so.user_id = ${userId} and so.status <> 'cancelled' and o.status = 'scheduled'
         and o.id <> act.id and o.starts_at < act.ends_at and act.starts_at < o.ends_at),
       '[]'::jsonb) as overlaps
    from act`.execute(db);
  const r = result.rows[0];
  if (!r) return undefined;
  const { mine, secretary, standing, overlaps, ...row } = r;
  return {
    row,
    mine,
    secretary,
    standing,
    overlaps: overlaps.map((o) => ({ ...o, startsAt: new Date(o.startsAt) })),
  };
}

/** A sign-up with its activity, the activity's row locked until the transaction ends. */
export interface LockedSignup {
  userId: string;
  /** As this statement saw it; the cancel itself re-reads it under the lock. */
  signupStatus: 'confirmed' | 'waitlisted' | 'cancelled';
  activityId: string;
  communityId: string;
  activityStatus: 'scheduled' | 'cancelled';
  startsAt: Date;
  title: string;
  place: string;
}

/** Finds a sign-up and locks its activity (the one lock every change to its sign-ups queues on). */
export async function lockSignupActivity(
  tx: DbOrTx,
  signupId: string,
): Promise<LockedSignup | undefined> {
  const result = await sql<LockedSignup>`
    select s.user_id, s.status as signup_status, s.activity_id, a.community_id, a.status as activity_status, a.starts_at,
           a.title, a.place
    from signups s join activities a on a.id = s.activity_id
    where s.id = ${signupId}
    for update of a`.execute(tx);
  return result.rows[0];
}

/**
 * Cancels a live sign-up in one statement, under its activity's lock (taken by `lockSignupActivity`
 * before, so this statement's snapshot sees every change made under it): a place it held on a
 * scheduled activity goes to the first people waiting, in arrival order, the counter follows,
 * and the audit row is written. Returns null if it was already cancelled, else who was promoted.
 */
export async function cancelLiveSignup(
  tx: DbOrTx,
  signupId: string,
  actorId: string,
  now: Date,
): Promise<Array<{ userId: string }> | null> {
  const result = await sql<{ cancelled: boolean; promoted: Array<{ userId: string }> }>`
    with old as (
      select s.id, s.activity_id,
             case when s.status = 'confirmed' and a.status = 'scheduled' then 1 else 0 end as freed,
             a.capacity - a.confirmed_count as free
      from signups s join activities a on a.id = s.activity_id
      where s.id = ${signupId} and s.status <> 'cancelled'
    ), c as (
      update signups s set status = 'cancelled', cancelled_at = ${now}
      from old where s.id = old.id
      returning s.id
    ), p as (
      update signups set status = 'confirmed', promoted_at = ${now}
      where id in (
        select w.id from signups w, old
        where w.activity_id = old.activity_id and w.status = 'waitlisted' and old.freed = 1
        order by w.arrival
        limit coalesce((select old.free + old.freed from old), 0)
      )
      returning user_id
    ), counter as (
      update activities a
      set confirmed_count = confirmed_count - old.freed + (select count(*)::int from p)
      from old where a.id = old.activity_id
    ), audit as (
      insert into audit_log (actor_id, action, target_type, target_id, details)
      select ${actorId}, 'signup.cancel', 'signup', c.id, '{}'::jsonb from c
    )
    select exists (select 1 from c) as cancelled,
      coalesce((select jsonb_agg(jsonb_build_object('userId', p.user_id)) from p), '[]'::jsonb)
        as promoted`.execute(tx);
  const r = result.rows[0]!;
  return r.cancelled ? r.promoted : null;
}
