import {
  RATINGS_TO_DECIDE,
  canMoveItem,
  reviewOutcome,
  tallyRatings,
} from '@tongxin/shared/roundtables/action-items';
import type {
  ActionItemBody,
  ItemUpdateBody,
  RatingBody,
} from '@tongxin/shared/roundtables/floor.schemas';
import { writeAudit } from '@tongxin/db/audit/audit.queries';
import { findActionItem, ownersOfItem, ownsActionItem } from '@tongxin/db/roundtables/room.queries';
import { findTopic } from '@tongxin/db/roundtables/roundtables.queries';
import {
  attendeeIds,
  insertActionItem,
  insertActionUpdate,
  insertRating,
  lockActionItem,
  moveActionItem,
  ownerChoices,
  reopenActionItem,
  resolutionOfTopic,
  roundRatings,
} from '@tongxin/db/roundtables/items.queries';
import { reopenHandoff } from '@tongxin/db/roundtables/handoff.queries';
import { AppError, refuse } from '../http/app-error.ts';
import type { App } from '../http/types.ts';
import { roundtableCommand } from './command.ts';
import { attachOwnPhotos } from '../photos/attach.ts';

const link = (roundtableId: string) => `/roundtables/${roundtableId}`;

type ProgressInput = { itemId: string; body: ItemUpdateBody };
type RatingInput = { itemId: string; body: RatingBody };

async function itemTarget<I extends { itemId: string }>(app: App, _request: unknown, input: I) {
  const item = await findActionItem(app.db, input.itemId);
  if (!item) throw new AppError(404, 'not_found');
  return item;
}

/** 办事: the chair gives a resolved topic's work to a unit, a team or a person. */
export const assignActionItem = roundtableCommand({
  action: 'assign_action_item',
  async target(app, _request, input: { topicId: string; body: ActionItemBody }) {
    const topic = await findTopic(app.db, input.topicId);
    if (!topic) throw new AppError(404, 'not_found');
    return topic;
  },
  async run(tx, { app, actor, target: topic }, locked, { body }) {
    const resolution = await resolutionOfTopic(tx, topic.id);
    if (!resolution) throw refuse('no_resolution_yet');
    const choices = await ownerChoices(tx, locked);
    const pool =
      body.ownerKind === 'unit'
        ? choices.units
        : body.ownerKind === 'team'
          ? choices.teams
          : choices.people;
    if (!pool.some((o) => o.id === body.ownerId)) throw refuse('owner_not_eligible', {}, 'ownerId');
    const row = await insertActionItem(tx, {
      roundtableId: locked.id,
      resolutionId: resolution.id,
      title: body.title.trim(),
      ownerKind: body.ownerKind,
      ownerId: body.ownerId,
      deadline: body.deadline,
      createdBy: actor.user.id,
    });
    const owners = await ownersOfItem(tx, row);
    await app.notifications.send(
      tx,
      owners,
      'action_item_assigned',
      { title: body.title, roundtable: actor.roundtable.title },
      link(actor.roundtable.id),
    );
    return { id: row.id, owners };
  },
  audit: {
    action: 'item.assign',
    entry: ({ actor }, { body }, { id }) => ({
      actorId: actor.user.id,
      targetType: 'action_item',
      targetId: id,
      details: { ...body },
    }),
  },
  async effects(app, _ctx, _input, { owners }) {
    await app.notifications.refresh(owners);
  },
});

/** Progress on an item, by whoever answers for it or the chair; `done` asks for ratings. */
export const postProgress = roundtableCommand({
  action: 'post_progress',
  target: itemTarget<ProgressInput>,
  async run(tx, { app, actor, target: item }, locked, { body }) {
    if (actor.part !== 'chair' && !(await ownsActionItem(tx, item, actor.user.id)))
      throw refuse('not_owner');
    if (body.status === 'blocked' && !body.blockedReason)
      throw refuse('blocked_reason_missing', {}, 'blockedReason');
    const current = await lockActionItem(tx, item.id);
    const moving = body.status !== undefined && body.status !== current.status;
    if (moving && !canMoveItem(current.status, body.status!))
      throw refuse('item_move_not_allowed', {}, 'status');
    const id = await insertActionUpdate(tx, {
      itemId: item.id,
      authorId: actor.user.id,
      note: body.note.trim(),
      status: moving ? body.status! : null,
    });
    await attachOwnPhotos(tx, actor.user.id, body.photoIds, { actionUpdateId: id });
    if (moving) await moveActionItem(tx, item.id, body.status!, body.blockedReason ?? null);
    // 评事: once done, everyone who took part is asked for a rating.
    const raters =
      moving && body.status === 'done'
        ? (await attendeeIds(tx, locked.id)).filter((u) => u !== actor.user.id)
        : [];
    if (raters.length)
      await app.notifications.send(
        tx,
        raters,
        'rating_asked',
        { title: current.title },
        link(locked.id),
      );
    return { id, raters, title: current.title };
  },
  audit: {
    action: 'item.update',
    entry: ({ actor, target: item }, { body }) => ({
      actorId: actor.user.id,
      targetType: 'action_item',
      targetId: item.id,
      details: { ...body },
    }),
  },
  async effects(app, _ctx, _input, { raters }) {
    await app.notifications.refresh(raters);
  },
});

/**
 * 评事: one rating per person per round, once the item is done. When 不满意 leads, the item
 * goes back to 办事 (its own audit entry, item.reopen) and its owners hear of it.
 */
export const rateItem = roundtableCommand({
  action: 'rate_item',
  target: itemTarget<RatingInput>,
  async run(tx, { app, actor, target: item }, locked, { body }) {
    const current = await lockActionItem(tx, item.id);
    if (current.status !== 'done') throw refuse('item_not_done');
    const rated = await insertRating(tx, {
      itemId: item.id,
      round: current.round,
      userId: actor.user.id,
      rating: body.rating,
      comment: body.comment?.trim() ?? '',
    });
    if (!rated) throw refuse('already_rated');
    const outcome = reviewOutcome(
      tallyRatings(await roundRatings(tx, item.id, current.round)),
      Number(locked.dissatisfiedThreshold),
      RATINGS_TO_DECIDE,
    );
    if (outcome !== 'reopen') return { owners: [], title: current.title, boards: null };
    await reopenActionItem(tx, item.id, current.round);
    // Its linked work goes back with it (handoff.commands.ts; locks after the item's): the
    // project's claim is in progress again, the team's activity no longer completed.
    const boards = await reopenHandoff(tx, item.id);
    await writeAudit(tx, {
      actorId: actor.user.id,
      action: 'item.reopen',
      targetType: 'action_item',
      targetId: item.id,
      details: {
        round: current.round,
        // Its linked work, reopened with it (handoff.commands.ts).
        ...(boards.claimIds.length ? { claims: boards.claimIds } : {}),
        ...(boards.activityIds.length ? { activities: boards.activityIds } : {}),
      },
    });
    const owners = [...new Set([...(await ownersOfItem(tx, current)), ...boards.claimants])];
    await app.notifications.send(
      tx,
      owners,
      'action_item_reopened',
      { title: current.title },
      link(locked.id),
    );
    return { owners, title: current.title, boards };
  },
  audit: {
    action: 'item.rate',
    entry: ({ actor, target: item }, { body }) => ({
      actorId: actor.user.id,
      targetType: 'action_item',
      targetId: item.id,
      details: { ...body },
    }),
  },
  async effects(app, _ctx, _input, { owners, boards }) {
    await app.notifications.refresh(owners);
    if (boards?.claimsCommunity) await app.claimsBoard.publish(boards.claimsCommunity);
    if (boards?.teamsCommunity) await app.teamsBoard.publish(boards.teamsCommunity);
  },
});
