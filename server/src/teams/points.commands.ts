import type { CatalogueBody, CatalogueChange } from '@tongxin/shared/teams/teams.schemas';
import { appendLedger } from '@tongxin/db/teams/points.queries';
import {
  findItemOnOffer,
  findRedemption,
  handOverRedemption,
  insertItem,
  insertRedemption,
  takeFromStock,
  updateItem,
  withdrawItem as takeOffShop,
} from '@tongxin/db/teams/shop.queries';
import { AppError, refuse } from '../http/app-error.ts';
import type { App } from '../http/types.ts';
import { noLock, teamsCommand } from './command.ts';

async function itemOnOffer(app: App, id: string) {
  const item = await findItemOnOffer(app.db, id);
  if (!item) throw new AppError(404, 'not_found');
  return item;
}

/** The secretary puts an item in the points shop (积分商城). */
export const addItem = teamsCommand({
  target: async (_app, _request, input: { communityId: string; body: CatalogueBody }) => ({
    communityId: input.communityId,
  }),
  may: 'secretary',
  lock: noLock,
  run: (tx, { rel }, _locked, { body }) =>
    insertItem(tx, {
      communityId: rel.community.id,
      name: body.name.trim(),
      description: body.description?.trim() ?? '',
      cost: body.cost,
      stock: body.stock,
    }),
  audit: {
    action: 'points.item_add',
    entry: ({ rel }, _input, item) => ({
      actorId: rel.user.id,
      targetType: 'catalogue_item',
      targetId: item.id,
      details: { cost: item.cost, stock: item.stock },
    }),
  },
});

/**
 * The secretary corrects an item: name, description, cost or stock. Redemptions already made
 * keep the cost they were made at.
 */
export const changeItem = teamsCommand({
  target: (app, _request, input: { itemId: string; body: CatalogueChange }) =>
    itemOnOffer(app, input.itemId),
  may: 'secretary',
  lock: noLock,
  run: (tx, { target }, _locked, { body }) =>
    updateItem(tx, target.id, {
      ...(body.name !== undefined ? { name: body.name.trim() } : {}),
      ...(body.description !== undefined ? { description: body.description.trim() } : {}),
      ...(body.cost !== undefined ? { cost: body.cost } : {}),
      ...(body.stock !== undefined ? { stock: body.stock } : {}),
    }),
  audit: {
    action: 'points.item_change',
    entry: ({ rel, target }, { body }) => ({
      actorId: rel.user.id,
      targetType: 'catalogue_item',
      targetId: target.id,
      details: { ...body },
    }),
  },
});

/** The secretary takes an item off the shop; redemptions made stay on the desk list. */
export const withdrawItem = teamsCommand({
  target: (app, _request, input: { itemId: string }) => itemOnOffer(app, input.itemId),
  may: 'secretary',
  lock: noLock,
  run: (tx, { target }) => takeOffShop(tx, target.id),
  audit: {
    action: 'points.item_withdraw',
    entry: ({ rel, target }) => ({
      actorId: rel.user.id,
      targetType: 'catalogue_item',
      targetId: target.id,
    }),
  },
});

/**
 * Spends points on one item: for whoever may use points in the item's community, a rider with
 * a ledger there and no role too. The stock row is the queue (one decrement at a time, never
 * below zero), then the points account's lock; refused when either runs short, whatever
 * runs at the same time.
 */
export const redeem = teamsCommand({
  target: (app, _request, input: { itemId: string }) => itemOnOffer(app, input.itemId),
  may: 'points',
  lock: noLock,
  async run(tx, { rel, target: item }) {
    if (!(await takeFromStock(tx, item.id))) throw refuse('out_of_stock');
    const redemption = await insertRedemption(tx, {
      itemId: item.id,
      userId: rel.user.id,
      communityId: item.communityId,
      cost: item.cost,
    });
    const balanceAfter = await appendLedger(
      tx,
      {
        userId: rel.user.id,
        communityId: item.communityId,
        delta: -item.cost,
        reason: 'redemption',
        redemptionId: redemption.id,
        createdBy: rel.user.id,
      },
      (before) => {
        if (before < item.cost) throw refuse('not_enough_points');
      },
    );
    return { redemption, balanceAfter, item };
  },
  audit: {
    action: 'points.redeem',
    entry: ({ rel }, _input, { redemption }) => ({
      actorId: rel.user.id,
      targetType: 'redemption',
      targetId: redemption.id,
    }),
  },
});

/** The service desk records that a redeemed item was handed over. */
export const handOver = teamsCommand({
  async target(app, _request, input: { redemptionId: string }) {
    const redemption = await findRedemption(app.db, input.redemptionId);
    if (!redemption) throw new AppError(404, 'not_found');
    return redemption;
  },
  may: 'secretary',
  lock: noLock,
  async run(tx, { rel, target }) {
    if (!(await handOverRedemption(tx, target.id, rel.user.id, new Date())))
      throw refuse('already_handed_over');
  },
  audit: {
    action: 'points.hand_over',
    entry: ({ rel, target }) => ({
      actorId: rel.user.id,
      targetType: 'redemption',
      targetId: target.id,
    }),
  },
});
