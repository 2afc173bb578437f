import type { Transaction } from 'kysely';
import type { AttendanceBody, HoursBody } from '@tongxin/shared/teams/teams.schemas';
import { checkInOpen, pointsForMinutes } from '@tongxin/shared/teams/teams';
import { chinaShortMoment } from '@tongxin/shared/time/china';
import type { Database } from '@tongxin/db/database';
import { appendLedger } from '@tongxin/db/teams/points.queries';
import { findActivityByCode, findActivityRow, findSignup } from '@tongxin/db/teams/teams.queries';
import type { Signup } from '@tongxin/db/teams/teams.tables';
import {
  lockConfirmedPlace,
  lockSignup,
  setAttendance,
  setHours,
} from '@tongxin/db/teams/checkin.queries';
import { AppError, refuse } from '../http/app-error.ts';
import type { App } from '../http/types.ts';
import { requireManager } from './access.ts';
import { teamsCommand } from './command.ts';

/** Takes back the points a confirmed activity earned, as a new ledger entry. */
async function reverseHours(
  tx: Transaction<Database>,
  signup: Signup,
  communityId: string,
  actorId: string,
) {
  const points = pointsForMinutes(signup.serviceMinutes ?? 0);
  if (points > 0)
    await appendLedger(tx, {
      userId: signup.userId,
      communityId,
      delta: -points,
      reason: 'hours_reversed',
      signupId: signup.id,
      createdBy: actorId,
    });
}

/** A sign-up and its activity, for the activity's keepers. */
async function signupOnActivity(app: App, id: string) {
  const signup = await findSignup(app.db, id);
  if (!signup) throw new AppError(404, 'not_found');
  const activity = (await findActivityRow(app.db, signup.activityId))!;
  return { signup, activity, communityId: activity.communityId, teamId: activity.teamId };
}

async function lockedSignup(tx: Transaction<Database>, id: string): Promise<Signup> {
  const current = await lockSignup(tx, id);
  if (!current) throw new AppError(404, 'not_found');
  return current;
}

/** The volunteer scans the QR code shown at the site: their confirmed place is marked present. */
export const checkIn = teamsCommand({
  async target(app, _request, input: { code: string }) {
    const activity = await findActivityByCode(app.db, input.code);
    if (!activity) throw refuse('unknown_checkin_code', {}, 'code');
    return activity;
  },
  may: ({ target }) => {
    if (target.status === 'cancelled') throw refuse('activity_cancelled');
    if (!checkInOpen(target, new Date())) throw refuse('checkin_closed');
  },
  async lock(tx, { rel, target }) {
    const mine = await lockConfirmedPlace(tx, target.id, rel.user.id);
    if (!mine) throw refuse('not_signed_up');
    return mine;
  },
  async run(tx, { rel, target }, mine) {
    const already = mine.attendance === 'present';
    const signup = already
      ? mine
      : await setAttendance(tx, mine.id, 'present', rel.user.id, new Date());
    return { signup, already, activityId: target.id, title: target.title };
  },
  audit: {
    action: 'signup.checkin',
    entry: ({ rel }, _input, { signup, already }) => ({
      actorId: rel.user.id,
      targetType: 'signup',
      targetId: signup.id,
      details: { method: 'qr', ...(already ? { already } : {}) },
    }),
  },
  effects: (app, { target }) => app.teamsBoard.publish(target.communityId),
});

/**
 * The leader marks a confirmed volunteer present or absent, or undoes it. Undoing a check-in
 * whose hours were confirmed takes the points back with a new ledger entry.
 */
export const markAttendance = teamsCommand({
  target: (app, _request, input: { signupId: string; body: AttendanceBody }) =>
    signupOnActivity(app, input.signupId),
  may: 'manage',
  lock: (tx, { target }) => lockedSignup(tx, target.signup.id),
  async run(tx, { rel, target }, current, { body }) {
    const wanted = body.attendance;
    if (current.status !== 'confirmed') throw refuse('no_place_held');
    if (current.attendance !== wanted) {
      if (current.hoursConfirmedAt)
        await reverseHours(tx, current, target.communityId, rel.user.id);
      await setAttendance(tx, current.id, wanted, rel.user.id, new Date());
    }
    return { from: current.attendance, to: wanted };
  },
  audit: {
    action: 'signup.attendance',
    entry: ({ rel, target }, _input, change) => ({
      actorId: rel.user.id,
      targetType: 'signup',
      targetId: target.signup.id,
      details: { ...change, method: 'roster' },
    }),
  },
  effects: (app, { target }) => app.teamsBoard.publish(target.communityId),
});

/**
 * The leader confirms a present volunteer's service time; points are credited per hour
 * through the ledger. Confirming again corrects it with a reversal and a new credit.
 */
export const confirmHours = teamsCommand({
  target: (app, _request, input: { signupId: string; body: HoursBody }) =>
    signupOnActivity(app, input.signupId),
  may: ({ rel, target }) => {
    requireManager(rel, target.teamId);
    // Service not yet begun cannot be vouched for: hours (and their points) wait for the start.
    if (new Date() < target.activity.startsAt)
      throw refuse('hours_before_start', { startsAt: chinaShortMoment(target.activity.startsAt) });
  },
  lock: (tx, { target }) => lockedSignup(tx, target.signup.id),
  async run(tx, { rel, target }, current, { body }) {
    const minutes = body.minutes;
    if (current.attendance !== 'present') throw refuse('not_checked_in');
    const points = pointsForMinutes(minutes);
    if (current.hoursConfirmedAt && current.serviceMinutes === minutes) return { minutes, points };
    if (current.hoursConfirmedAt) await reverseHours(tx, current, target.communityId, rel.user.id);
    await setHours(tx, current.id, minutes, rel.user.id, new Date());
    if (points > 0)
      await appendLedger(tx, {
        userId: current.userId,
        communityId: target.communityId,
        delta: points,
        reason: 'service_hours',
        signupId: current.id,
        createdBy: rel.user.id,
      });
    return { minutes, points };
  },
  audit: {
    action: 'signup.hours',
    entry: ({ rel, target }, _input, details) => ({
      actorId: rel.user.id,
      targetType: 'signup',
      targetId: target.signup.id,
      details,
    }),
  },
});
