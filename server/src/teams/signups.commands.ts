import { isUniqueViolation } from '@tongxin/db/pg-errors';
import {
  lockSignupActivity,
  takeSignup,
  cancelLiveSignup,
} from '@tongxin/db/teams/signups.queries';
import { AppError, refuse } from '../http/app-error.ts';
import { defineCommand } from '../http/command.ts';
import { requireUser } from '../http/request-context.ts';
import { notInCommunity } from './access.ts';
import { activityLink, oneStatementCommand } from './command.ts';

/**
 * 报名: one tap, a place if one is free, else the waiting list in arrival order. Who may
 * (a role in the community; an active member for a members-only activity), the place and the
 * audit row are one statement (`takeSignup`); what it saw says why when nothing was taken.
 */
export const signUp = oneStatementCommand({
  auditedIn: "takeSignup's data-modifying CTE inserts signup.create with the sign-up",
  async run(app, request, { activityId }: { activityId: string }) {
    const user = requireUser(request);
    let attempt;
    try {
      attempt = await takeSignup(app.db, activityId, user.id, new Date());
    } catch (error) {
      // Two requests from one person that both passed: the partial unique index is the last word.
      if (isUniqueViolation(error)) throw refuse('already_signed_up');
      throw error;
    }
    if (!attempt) throw new AppError(404, 'not_found');
    if (!attempt.belongs) throw notInCommunity(request);
    if (attempt.membersOnly && !attempt.member) throw refuse('members_only');
    if (!attempt.signupId) throw refuse('signup_closed');
    return { communityId: attempt.communityId };
  },
  effects: (app, _input, { communityId }) => app.teamsBoard.publish(communityId),
});

/**
 * The volunteer cancels their own sign-up (or declines a place they were promoted to): a
 * freed place goes to the first person waiting, in the same statement. Two statements: the
 * activity's lock (`lockSignupActivity`), then the cancel (`cancelLiveSignup`).
 */
export const cancelSignup = defineCommand({
  load: async (app, request, _input: { signupId: string }) => ({
    user: requireUser(request),
    notify: app.notifications.send,
  }),
  // Whose sign-up it is is read with the lock.
  authorise: () => {},
  async lock(tx, { user }, { signupId }) {
    const locked = await lockSignupActivity(tx, signupId);
    if (!locked) throw new AppError(404, 'not_found');
    if (locked.userId !== user.id) throw refuse('not_your_signup');
    return locked;
  },
  async run(tx, { user, notify }, locked, { signupId }) {
    if (locked.signupStatus === 'cancelled') throw refuse('signup_already_cancelled');
    const now = new Date();
    if (locked.activityStatus === 'scheduled' && now >= locked.startsAt)
      throw refuse('signup_closed');
    const promoted = await cancelLiveSignup(tx, signupId, user.id, now);
    // Cancelled meanwhile by another request of theirs (it held the lock first).
    if (!promoted) throw refuse('signup_already_cancelled');
    await notify(
      tx,
      promoted.map((p) => p.userId),
      'waitlist_promoted',
      { title: locked.title, startsAt: locked.startsAt.toISOString(), place: locked.place },
      activityLink(locked.activityId),
    );
    return { locked, promoted: promoted.map((p) => p.userId) };
  },
  audit: { exempt: "audited inside the cancel statement (cancelLiveSignup's CTE)" },
  async effects(app, _ctx, _input, { locked, promoted }) {
    await app.notifications.refresh(promoted);
    await app.teamsBoard.publish(locked.communityId);
  },
});
