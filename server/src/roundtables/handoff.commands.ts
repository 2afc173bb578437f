/**
 * 办事 handed on (issue 18): a roundtable action item published as a 双报到 project that units
 * claim, or as an activity of the service team that owns it, linked both ways
 * (`claim_items.action_item_id`, `activities.action_item_id`).
 *
 * Progress: the linked work writes `action_updates` rows on the item (the claimant's delivery
 * note when a claim is delivered; the confirmation, or the team's completion note, with the
 * move to done). Rows rather than a view derived at read time, because the item's progress is
 * one history that the room, the 公示 and the evaluation already read; the work's own note is
 * written, in its author's words, by its author, so it reads the same in either language.
 *
 * Lock order across the three features, extending decision 0007 (roundtable → topic → vote →
 * action item) and consistent with the claims order (claim item → claim) and decision 0016
 * (team → rule → activity → sign-up …): the ACTION ITEM always comes before any claims or
 * teams row.
 *   1. roundtable (`lockRoundtable`, roundtable commands only: publish, rate),
 *   2. action item (`lockActionItem`),
 *   3. claim item, then claim (a claim's move on a linked project locks the item first,
 *      `lockHandoffItem` below; the reopen updates the claim item, then its claims),
 *   4. activity (completing a linked activity, the reopen),
 *   5. inserts nobody locks first (the claim item or activity published, action updates,
 *      notifications, the audit row).
 * A claim's move and an activity's completion take no roundtable lock: nothing locks an action
 * item and then its roundtable, so the orders cannot cross.
 */
import { judgeHandoff, type HandoffKind } from '@tongxin/shared/roundtables/handoff';
import type {
  CompleteActivityBody,
  HandOnActivityBody,
  HandOnProjectBody,
} from '@tongxin/shared/roundtables/handoff.schemas';
import type { Tx } from '@tongxin/db/create-db';
import type { ClaimRow } from '@tongxin/db/double-report/claims.queries';
import { isUniqueViolation } from '@tongxin/db/pg-errors';
import { findActionItem } from '@tongxin/db/roundtables/room.queries';
import { findActivityRow, lockActivity } from '@tongxin/db/teams/teams.queries';
import {
  completeActivityRow,
  insertHandoffActivity,
  insertHandoffProject,
  isHandedOn,
  roundtableOfActionItem,
  teamCommunity,
} from '@tongxin/db/roundtables/handoff.queries';
import {
  attendeeIds,
  communityOf,
  insertActionUpdate,
  lockActionItem,
  moveActionItem,
} from '@tongxin/db/roundtables/items.queries';
import { AppError, refuse } from '../http/app-error.ts';
import type { App } from '../http/types.ts';
import type { Notifier } from '../notifications/notifier.ts';
import { teamsCommand } from '../teams/command.ts';
import { roundtableCommand } from './command.ts';

const roomLink = (roundtableId: string) => `/roundtables/${roundtableId}`;

async function itemTarget<I extends { itemId: string }>(app: App, _request: unknown, input: I) {
  const item = await findActionItem(app.db, input.itemId);
  if (!item) throw new AppError(404, 'not_found');
  return item;
}

/** The item under its lock, judged by the shared rule for this kind of handoff. */
async function lockForHandoff(tx: Tx, itemId: string, kind: HandoffKind) {
  const item = await lockActionItem(tx, itemId);
  const refusal = judgeHandoff(kind, { ...item, handedOn: await isHandedOn(tx, itemId) });
  if (refusal) throw refuse(refusal);
  return item;
}

/** The unique index on each side is the last word: a second publish that got past the check. */
async function once<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw refuse('item_already_handed_on');
    throw error;
  }
}

/** 发布为双报到项目: a unit's item goes on the community's 项目清单 for units to claim. */
export const handOnAsProject = roundtableCommand({
  action: 'hand_on_item',
  target: itemTarget<{ itemId: string; body: HandOnProjectBody }>,
  async run(tx, { actor, target }, locked, { body }) {
    const item = await lockForHandoff(tx, target.id, 'project');
    const communityId = await communityOf(tx, locked.placeId);
    const id = await once(() =>
      insertHandoffProject(tx, {
        actionItemId: item.id,
        communityId,
        title: body.title.trim(),
        description: body.description?.trim() ?? '',
        dueAt: body.dueAt ? new Date(body.dueAt) : null,
        postedBy: actor.user.id,
      }),
    );
    return { id, communityId };
  },
  audit: {
    action: 'item.hand_on',
    entry: ({ actor, target }, _input, { id }) => ({
      actorId: actor.user.id,
      targetType: 'action_item',
      targetId: target.id,
      details: { kind: 'project', claimItemId: id },
    }),
  },
  effects: (app, _ctx, _input, { communityId }) => app.claimsBoard.publish(communityId),
});

/** 发布为志愿活动: a team's item becomes that team's activity, open for sign-ups. */
export const handOnAsActivity = roundtableCommand({
  action: 'hand_on_item',
  target: itemTarget<{ itemId: string; body: HandOnActivityBody }>,
  async run(tx, { actor, target }, _locked, { body }) {
    const startsAt = new Date(body.startsAt);
    const endsAt = new Date(body.endsAt);
    if (endsAt <= startsAt) throw refuse('ends_before_start', {}, 'endsAt');
    const item = await lockForHandoff(tx, target.id, 'activity');
    const team = await teamCommunity(tx, item.ownerTeamId!);
    if (!team) throw new AppError(404, 'not_found');
    const id = await once(() =>
      insertHandoffActivity(tx, {
        actionItemId: item.id,
        communityId: team.communityId,
        teamId: team.id,
        title: body.title.trim(),
        description: body.description?.trim() ?? '',
        place: body.place.trim(),
        startsAt,
        endsAt,
        capacity: body.capacity,
        createdBy: actor.user.id,
      }),
    );
    return { id, communityId: team.communityId };
  },
  audit: {
    action: 'item.hand_on',
    entry: ({ actor, target }, _input, { id }) => ({
      actorId: actor.user.id,
      targetType: 'action_item',
      targetId: target.id,
      details: { kind: 'activity', activityId: id },
    }),
  },
  effects: (app, _ctx, _input, { communityId }) => app.teamsBoard.publish(communityId),
});

/** What a move on linked work did to its item: the room to republish, the bells to ring. */
export interface ItemTouched {
  roundtableId: string;
  notified: string[];
}

/**
 * Step 2 of the lock order for a claim's move: when the claim's project was published from
 * an action item, that item is locked before the claim.
 */
export async function lockHandoffItem(tx: Tx, actionItemId: string | null): Promise<void> {
  if (actionItemId) await lockActionItem(tx, actionItemId);
}

/**
 * The linked work is confirmed: the item is done (moved there with an update in the work's
 * words) and moves into 评事 — everyone who took part in the roundtable is asked to rate it.
 * The item's lock is already held (step 2).
 */
async function finishItem(
  tx: Tx,
  send: Notifier['send'],
  actionItemId: string,
  authorId: string,
  note: string,
): Promise<ItemTouched> {
  const item = await lockActionItem(tx, actionItemId);
  const moving = item.status !== 'done';
  await insertActionUpdate(tx, {
    itemId: item.id,
    authorId,
    note,
    status: moving ? 'done' : null,
  });
  if (!moving) return { roundtableId: item.roundtableId, notified: [] };
  await moveActionItem(tx, item.id, 'done', null);
  const raters = (await attendeeIds(tx, item.roundtableId)).filter((u) => u !== authorId);
  if (raters.length)
    await send(tx, raters, 'rating_asked', { title: item.title }, roomLink(item.roundtableId));
  return { roundtableId: item.roundtableId, notified: raters };
}

/** A claim on a linked project was delivered: the delivery is the item's progress. */
export async function claimDeliveredOnItem(
  tx: Tx,
  row: ClaimRow,
  note: string,
): Promise<ItemTouched | null> {
  if (!row.actionItemId) return null;
  const item = await lockActionItem(tx, row.actionItemId);
  const moving = item.status === 'pending' || item.status === 'blocked';
  await insertActionUpdate(tx, {
    itemId: item.id,
    authorId: row.userId,
    note,
    status: moving ? 'in_progress' : null,
  });
  if (moving) await moveActionItem(tx, item.id, 'in_progress', null);
  return { roundtableId: item.roundtableId, notified: [] };
}

/** The community confirmed the delivery on a linked project: the item is done. */
export async function claimConfirmedOnItem(
  tx: Tx,
  notifier: Notifier,
  row: ClaimRow,
  confirmedBy: string,
  comment: string | null,
): Promise<ItemTouched | null> {
  if (!row.actionItemId) return null;
  return finishItem(
    tx,
    notifier.send,
    row.actionItemId,
    confirmedBy,
    comment || row.deliveryNote || row.itemTitle,
  );
}

/** After any move of a claim on a linked project: its item's room shows the claim's state. */
export async function republishItemRoom(
  app: App,
  actionItemId: string | null,
  touched: ItemTouched | null | void,
): Promise<void> {
  if (!actionItemId) return;
  const roundtableId =
    touched?.roundtableId ?? (await roundtableOfActionItem(app.db, actionItemId));
  if (roundtableId) await app.roundtableLive.publish(roundtableId);
  if (touched?.notified.length) await app.notifications.refresh(touched.notified);
}

/**
 * The team reports an activity handed on from a roundtable done, once it has started: its
 * leaders or the secretary. Its item is done and goes to 评事.
 */
export const completeActivity = teamsCommand({
  async target(app, _request, input: { activityId: string; body: CompleteActivityBody }) {
    const row = await findActivityRow(app.db, input.activityId);
    if (!row) throw new AppError(404, 'not_found');
    return row;
  },
  may: 'manage',
  async lock(tx, { target }) {
    // Steps 2 and 4: the item, then the activity.
    await lockHandoffItem(tx, target.actionItemId);
    const locked = await lockActivity(tx, target.id);
    if (!locked) throw new AppError(404, 'not_found');
    return locked;
  },
  async run(tx, { rel, notify }, locked, { body }) {
    if (!locked.actionItemId) throw refuse('activity_not_handed_on');
    if (locked.status === 'cancelled') throw refuse('activity_cancelled');
    if (locked.completedAt) throw refuse('activity_already_completed');
    if (locked.startsAt.getTime() > Date.now()) throw refuse('activity_not_started');
    const note = body.note.trim();
    if (!(await completeActivityRow(tx, locked.id, rel.user.id, note)))
      throw refuse('activity_already_completed');
    return finishItem(tx, notify, locked.actionItemId, rel.user.id, note);
  },
  audit: {
    action: 'activity.complete',
    entry: ({ rel, target }, { body }) => ({
      actorId: rel.user.id,
      targetType: 'activity',
      targetId: target.id,
      details: { note: body.note.trim() },
    }),
  },
  async effects(app, { rel, target }, _input, touched) {
    await app.teamsBoard.publish(rel.community.id);
    await republishItemRoom(app, target.actionItemId, touched);
  },
});
