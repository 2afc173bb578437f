import { signupClosed } from '@tongxin/shared/teams/teams';
import { lockActivity, writeAudit, type Activity, type Signup, type Tx } from '@tongxin/db';
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
 * Signs one person up. Every sign-up on a shift queues on the activity's row lock and takes
 * the next arrival number: a place while `confirmed_count < capacity` (the CHECK is the last
 * word), else the waiting list.
 */
export async function signUp(
  tx: Tx,
  activityId: string,
  userId: string,
  now = new Date(),
): Promise<Signup> {
  const activity = await lockActivity(tx, activityId);
  if (!activity) throw new AppError(404, 'not_found');
  if (signupClosed(activity, now)) throw new AppError(409, 'signup_closed');
  const held = await tx
    .selectFrom('signups')
    .select('id')
    .where('activityId', '=', activityId)
    .where('userId', '=', userId)
    .where('status', '<>', 'cancelled')
    .executeTakeFirst();
  if (held) throw new AppError(409, 'already_signed_up');
  const place = activity.confirmedCount < activity.capacity;
  const arrival = activity.signupSeq + 1;
  await tx
    .updateTable('activities')
    .set((eb) => ({
      signupSeq: arrival,
      confirmedCount: place ? eb('confirmedCount', '+', 1) : eb.ref('confirmedCount'),
    }))
    .where('id', '=', activityId)
    .execute();
  const signup = await tx
    .insertInto('signups')
    .values({ activityId, userId, status: place ? 'confirmed' : 'waitlisted', arrival })
    .returningAll()
    .executeTakeFirstOrThrow();
  await writeAudit(tx, {
    actorId: userId,
    action: 'signup.create',
    targetType: 'signup',
    targetId: signup.id,
    details: { activityId, status: signup.status },
  });
  return signup;
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
