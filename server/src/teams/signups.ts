import {
  cancelLiveSignup,
  takeSignup,
  type LockedSignup,
  type Activity,
  type DbOrTx,
  type Signup,
  type Tx,
  isUniqueViolation,
} from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { notInCommunity } from './access.ts';
import type { FastifyRequest } from 'fastify';

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
 * Signs one person up (see `takeSignup`: one statement, the shift's lock held for it only)
 * and says why not when nothing was taken. Returns the shift's community, for the board.
 */
export async function signUp(
  request: FastifyRequest,
  db: DbOrTx,
  activityId: string,
  userId: string,
  now = new Date(),
): Promise<{ communityId: string }> {
  let attempt;
  try {
    attempt = await takeSignup(db, activityId, userId, now);
  } catch (error) {
    // Two requests from one person that both passed: the partial unique index is the last word.
    if (isUniqueViolation(error)) throw new AppError(409, 'already_signed_up');
    throw error;
  }
  if (!attempt) throw new AppError(404, 'not_found');
  if (!attempt.belongs) throw notInCommunity(request);
  if (attempt.membersOnly && !attempt.member) throw new AppError(403, 'members_only');
  if (!attempt.signupId) throw new AppError(409, 'signup_closed');
  return { communityId: attempt.communityId };
}

/**
 * Cancels a sign-up (the volunteer's own, or a promoted place they decline) whose shift
 * `lockSignupShift` has locked: a freed place goes to the first person waiting, in the same
 * statement. Returns those promoted, to be told.
 */
export async function cancelSignup(
  tx: Tx,
  signupId: string,
  shift: LockedSignup,
  actorId: string,
  now = new Date(),
): Promise<Array<{ userId: string }>> {
  if (shift.signupStatus === 'cancelled') throw new AppError(409, 'illegal_state');
  if (shift.shiftStatus === 'scheduled' && now >= shift.startsAt)
    throw new AppError(409, 'signup_closed');
  const promoted = await cancelLiveSignup(tx, signupId, actorId, now);
  // Cancelled meanwhile by another request of theirs (it held the lock first).
  if (!promoted) throw new AppError(409, 'illegal_state');
  return promoted;
}
