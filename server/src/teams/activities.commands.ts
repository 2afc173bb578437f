import type {
  ActivityBody,
  ActivityChange,
  LeaderMessageBody,
} from '@tongxin/shared/teams/teams.schemas';
import { findActivityRow, findTeam } from '@tongxin/db/teams/teams.queries';
import {
  cancelActivity,
  insertActivity,
  peopleOn,
  promoteFromWaitlist,
  updateActivity,
} from '@tongxin/db/teams/activities.queries';
import { AppError, refuse } from '../http/app-error.ts';
import type { App } from '../http/types.ts';
import { requirePublisher } from './access.ts';
import { activityLink, lockLiveActivity, noLock, teamsCommand } from './command.ts';

function requireWindow(startsAt: Date, endsAt: Date) {
  if (endsAt <= startsAt) throw refuse('ends_before_start', {}, 'endsAt');
}

async function activityOf(app: App, id: string) {
  const row = await findActivityRow(app.db, id);
  if (!row) throw new AppError(404, 'not_found');
  return row;
}

/** A team leader (for their team) or the secretary publishes an activity (服务活动). */
export const publishActivity = teamsCommand({
  async target(app, _request, input: { communityId: string; body: ActivityBody }) {
    const teamId = input.body.teamId ?? null;
    return {
      communityId: input.communityId,
      teamId,
      team: teamId ? await findTeam(app.db, teamId) : undefined,
    };
  },
  may: ({ rel, target }, { body }) => {
    requirePublisher(rel, target.teamId, target.team, body.membersOnly ?? false);
    requireWindow(new Date(body.startsAt), new Date(body.endsAt));
  },
  lock: noLock,
  run: (tx, { rel, target }, _locked, { body }) =>
    insertActivity(tx, {
      communityId: rel.community.id,
      teamId: target.teamId,
      title: body.title.trim(),
      description: body.description?.trim() ?? '',
      place: body.place.trim(),
      requirements: body.requirements?.trim() ?? '',
      startsAt: new Date(body.startsAt),
      endsAt: new Date(body.endsAt),
      capacity: body.capacity,
      membersOnly: body.membersOnly ?? false,
      createdBy: rel.user.id,
    }),
  audit: {
    action: 'activity.create',
    entry: ({ rel }, _input, id) => ({
      actorId: rel.user.id,
      targetType: 'activity',
      targetId: id,
    }),
  },
  effects: (app, { rel }) => app.teamsBoard.publish(rel.community.id),
});

/**
 * Changes an activity; everyone signed up is told. More places go to the waiting list at once;
 * fewer than are held are refused.
 */
export const changeActivity = teamsCommand({
  target: (app, _request, input: { activityId: string; body: ActivityChange }) =>
    activityOf(app, input.activityId),
  may: 'manage',
  lock: (tx, { target }) => lockLiveActivity(tx, target.id),
  async run(tx, { notify }, locked, { body }) {
    const startsAt = body.startsAt ? new Date(body.startsAt) : locked.startsAt;
    const endsAt = body.endsAt ? new Date(body.endsAt) : locked.endsAt;
    requireWindow(startsAt, endsAt);
    if (body.capacity !== undefined && body.capacity < locked.confirmedCount)
      throw refuse('capacity_below_confirmed', { confirmed: locked.confirmedCount }, 'capacity');
    const updated = await updateActivity(tx, locked.id, {
      ...(body.title !== undefined ? { title: body.title.trim() } : {}),
      ...(body.description !== undefined ? { description: body.description.trim() } : {}),
      ...(body.place !== undefined ? { place: body.place.trim() } : {}),
      ...(body.requirements !== undefined ? { requirements: body.requirements.trim() } : {}),
      ...(body.capacity !== undefined ? { capacity: body.capacity } : {}),
      startsAt,
      endsAt,
    });
    const promoted = (await promoteFromWaitlist(tx, updated)).map((p) => p.userId);
    const people = await peopleOn(tx, locked.id);
    const params = {
      title: updated.title,
      startsAt: updated.startsAt.toISOString(),
      place: updated.place,
    };
    const link = activityLink(locked.id);
    const others = people.filter((id) => !promoted.includes(id));
    await notify(tx, others, 'activity_changed', params, link);
    await notify(tx, promoted, 'waitlist_promoted', params, link);
    return people;
  },
  audit: {
    action: 'activity.change',
    entry: ({ rel, target }, { body }) => ({
      actorId: rel.user.id,
      targetType: 'activity',
      targetId: target.id,
      details: { ...body },
    }),
  },
  async effects(app, { target }, _input, people) {
    await app.notifications.refresh(people);
    await app.teamsBoard.publish(target.communityId);
  },
});

/** Calls an activity off; everyone signed up is told. */
export const callOffActivity = teamsCommand({
  target: (app, _request, input: { activityId: string }) => activityOf(app, input.activityId),
  may: 'manage',
  lock: (tx, { target }) => lockLiveActivity(tx, target.id),
  async run(tx, { notify }, locked) {
    await cancelActivity(tx, locked.id);
    const people = await peopleOn(tx, locked.id);
    await notify(
      tx,
      people,
      'activity_cancelled',
      { title: locked.title, startsAt: locked.startsAt.toISOString() },
      activityLink(locked.id),
    );
    return people;
  },
  audit: {
    action: 'activity.cancel',
    entry: ({ rel, target }) => ({
      actorId: rel.user.id,
      targetType: 'activity',
      targetId: target.id,
    }),
  },
  async effects(app, { target }, _input, people) {
    await app.notifications.refresh(people);
    await app.teamsBoard.publish(target.communityId);
  },
});

/** The leader writes to everyone holding or waiting for a place. Returns how many were told. */
export const messageVolunteers = teamsCommand({
  target: (app, _request, input: { activityId: string; body: LeaderMessageBody }) =>
    activityOf(app, input.activityId),
  may: 'manage',
  lock: noLock,
  async run(tx, { rel, target, notify }, _locked, { body }) {
    const people = await peopleOn(tx, target.id);
    await notify(
      tx,
      people,
      'leader_message',
      { title: target.title, from: rel.user.displayName, text: body.text.trim() },
      activityLink(target.id),
    );
    return people;
  },
  // Who wrote to whom, not what: the words are in the recipients' notifications.
  audit: {
    action: 'activity.message',
    entry: ({ rel, target }, _input, people) => ({
      actorId: rel.user.id,
      targetType: 'activity',
      targetId: target.id,
      details: { recipients: new Set(people).size },
    }),
  },
  effects: (app, _ctx, _input, people) => app.notifications.refresh(people),
});
