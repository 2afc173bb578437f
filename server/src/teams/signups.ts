import { sql } from 'kysely';
import {
  lockActivity,
  writeAudit,
  type Activity,
  type DbOrTx,
  type Signup,
  type Tx,
} from '@tongxin/db';
import { AppError } from '../http/app-error.ts';

/**
 * Gives freed places to the first people on the waiting list, in arrival order, under the
 * activity's row lock (the caller holds it). Returns who was promoted, to be told.
 */
export async function promoteFromWaitlist(tx: Tx, activity: Activity): Promise<Signup[]> {
  const free = activity.capacity - activity.confirmedCount;
  if (free <= 0) return [];
  const next = await tx
    .selectFrom('signups')
    .select('id')
    .where('activityId', '=', activity.id)
    .where('status', '=', 'waitlisted')
    .orderBy('arrival')
    .limit(free)
    .execute();
  if (!next.length) return [];
  const promoted = await tx
    .updateTable('signups')
    .set({ status: 'confirmed', promotedAt: new Date() })
    .where(
      'id',
      'in',
      next.map((n) => n.id),
    )
    .returningAll()
    .execute();
  await tx
    .updateTable('activities')
    .set((eb) => ({ confirmedCount: eb('confirmedCount', '+', promoted.length) }))
    .where('id', '=', activity.id)
    .execute();
  return promoted;
}

/**
 * Signs one person up, in one statement (so the activity's row lock is held only for it):
 * sign-ups on a shift queue on that lock, take the next arrival number and, while
 * `confirmed_count < capacity` (the CHECK is the last word), a place; otherwise the
 * waiting list. A second live sign-up by the same person fails on the unique index (23505)
 * and changes nothing.
 */
export async function signUp(
  db: DbOrTx,
  activityId: string,
  userId: string,
  now = new Date(),
): Promise<Signup> {
  const taken = await sql<Signup>`
    with a as (
      select id, confirmed_count < capacity as place from activities
      where id = ${activityId} and status = 'scheduled' and starts_at > ${now}
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
      returning *
    ), audit as (
      insert into audit_log (actor_id, action, target_type, target_id, details)
      select ${userId}, 'signup.create', 'signup', s.id,
             jsonb_build_object('activityId', s.activity_id, 'status', s.status)
      from s
    )
    select * from s`.execute(db);
  const signup = taken.rows[0];
  if (signup) return signup;
  const activity = await db
    .selectFrom('activities')
    .select('id')
    .where('id', '=', activityId)
    .executeTakeFirst();
  throw activity ? new AppError(409, 'signup_closed') : new AppError(404, 'not_found');
}

/**
 * Cancels a sign-up (the volunteer's own, or a promoted place they decline). A freed place
 * goes to the first person waiting. Returns those promoted.
 */
export async function cancelSignup(
  tx: Tx,
  signup: Signup,
  actorId: string,
  now = new Date(),
): Promise<Signup[]> {
  const activity = await lockActivity(tx, signup.activityId);
  if (!activity) throw new AppError(404, 'not_found');
  const current = await tx
    .selectFrom('signups')
    .selectAll()
    .where('id', '=', signup.id)
    .executeTakeFirstOrThrow();
  if (current.status === 'cancelled') throw new AppError(409, 'illegal_state');
  if (activity.status === 'scheduled' && now >= activity.startsAt)
    throw new AppError(409, 'signup_closed');
  await tx
    .updateTable('signups')
    .set({ status: 'cancelled', cancelledAt: now })
    .where('id', '=', signup.id)
    .execute();
  await writeAudit(tx, {
    actorId,
    action: 'signup.cancel',
    targetType: 'signup',
    targetId: signup.id,
  });
  if (current.status !== 'confirmed' || activity.status === 'cancelled') return [];
  await tx
    .updateTable('activities')
    .set((eb) => ({ confirmedCount: eb('confirmedCount', '-', 1) }))
    .where('id', '=', activity.id)
    .execute();
  return promoteFromWaitlist(tx, { ...activity, confirmedCount: activity.confirmedCount - 1 });
}
