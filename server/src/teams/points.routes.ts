import { EmptyBody } from '@tongxin/shared/auth.schemas';
import { Type } from 'typebox';
import { chinaMonth } from '@tongxin/shared/time/china';
import {
  CatalogueBody,
  CatalogueChange,
  CatalogueItemView,
  DeskRedemption,
  MyPoints,
  MyPointsAccount,
  RedemptionView,
  Stars,
} from '@tongxin/shared/teams/teams.schemas';
import { ledgerCommunitiesOf, ledgerOf } from '@tongxin/db/teams/points.queries';
import type { CatalogueItem } from '@tongxin/db/teams/teams.tables';
import {
  confirmedMinutes,
  deskRedemptions,
  itemsOnOffer,
  starsOf,
} from '@tongxin/db/teams/shop.queries';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { loadCommunityAccess } from '../places/community-access.ts';
import { requireBelongs, requirePointsUser, requireSecretary } from './access.ts';
import { addItem, changeItem, handOver, redeem, withdrawItem } from './points.commands.ts';
import { IdParams } from '../http/params.ts';

const tags = ['points'];

const toItemView = (i: CatalogueItem): CatalogueItemView => ({
  id: i.id,
  name: i.name,
  description: i.description,
  cost: i.cost,
  stock: i.stock,
});

export async function pointsRoutes(app: App) {
  app.get(
    '/me/points',
    {
      schema: {
        tags,
        description:
          'The communities where I have points (a ledger), with my balance in each: a rider credited for a report holds no role there.',
        response: { 200: Type.Array(MyPointsAccount), ...errors(401) },
      },
    },
    async (request) => {
      const rows = await ledgerCommunitiesOf(app.db, requireUser(request).id);
      return rows.map((r) => ({
        community: { id: r.id, name: r.name },
        balance: Number(r.balance),
      }));
    },
  );

  app.get(
    '/communities/:id/points/me',
    {
      schema: {
        tags,
        description:
          'My points in this community: the balance is the sum of my ledger, listed newest first. Served to anyone who belongs to the community or has a ledger there (a rider credited for a report).',
        params: IdParams,
        response: { 200: MyPoints, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const rel = await loadCommunityAccess(app.db, requireUser(request), request.params.id);
      await requirePointsUser(app.db, request, rel);
      const [entries, minutes] = await Promise.all([
        ledgerOf(app.db, rel.user.id, rel.community.id),
        confirmedMinutes(app.db, rel.user.id, rel.community.id),
      ]);
      return {
        community: rel.community,
        balance: entries.reduce((sum, e) => sum + e.delta, 0),
        confirmedMinutes: minutes,
        entries: entries.map((e) => ({
          id: e.id,
          delta: e.delta,
          reason: e.reason,
          about: e.about ?? '',
          balanceAfter: e.balanceAfter,
          at: e.createdAt.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/communities/:id/catalogue',
    {
      schema: {
        tags,
        description:
          '积分商城: what points buy here, with stock. Served to anyone who belongs to the community or has a ledger there (a rider credited for a report), as redeeming is.',
        params: IdParams,
        response: { 200: Type.Array(CatalogueItemView), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const rel = await loadCommunityAccess(app.db, requireUser(request), request.params.id);
      await requirePointsUser(app.db, request, rel);
      const items = await itemsOnOffer(app.db, rel.community.id);
      return items.map(toItemView);
    },
  );

  app.post(
    '/communities/:id/catalogue',
    {
      schema: {
        tags,
        params: IdParams,
        body: CatalogueBody,
        response: { 201: CatalogueItemView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const item = await addItem(app, request, {
        communityId: request.params.id,
        body: request.body,
      });
      return reply.code(201).send(toItemView(item));
    },
  );

  app.patch(
    '/catalogue/:id',
    {
      schema: {
        tags,
        description:
          'The secretary corrects an item: name, description, cost or stock. Redemptions already made keep the cost they were made at.',
        params: IdParams,
        body: CatalogueChange,
        response: { 200: CatalogueItemView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const item = await changeItem(app, request, {
        itemId: request.params.id,
        body: request.body,
      });
      return toItemView(item);
    },
  );

  app.post(
    '/catalogue/:id/withdraw',
    {
      schema: {
        tags,
        description:
          'The secretary takes an item off the shop. Redemptions already made stay on the desk list to be handed over.',
        params: IdParams,
        body: EmptyBody,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await withdrawItem(app, request, { itemId: request.params.id });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/catalogue/:id/redeem',
    {
      schema: {
        tags,
        description:
          'Spends points on one item: for anyone who belongs to its community or has a ledger there (a rider credited for a report). Refused when stock or points run short, whatever runs at the same time.',
        params: IdParams,
        body: EmptyBody,
        response: { 201: RedemptionView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { redemption, balanceAfter, item } = await redeem(app, request, {
        itemId: request.params.id,
      });
      return reply.code(201).send({
        id: redemption.id,
        item: { id: item.id, name: item.name },
        cost: redemption.cost,
        status: redemption.status,
        balanceAfter,
        createdAt: redemption.createdAt.toISOString(),
      });
    },
  );

  app.get(
    '/communities/:id/redemptions',
    {
      schema: {
        tags,
        description: "The secretary's service-desk list of redemptions, waiting ones first.",
        params: IdParams,
        response: { 200: Type.Array(DeskRedemption), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const rel = await loadCommunityAccess(app.db, requireUser(request), request.params.id);
      requireSecretary(request, rel);
      const rows = await deskRedemptions(app.db, rel.community.id);
      return rows.map((r) => ({
        id: r.id,
        item: { id: r.itemId, name: r.itemName },
        user: { id: r.userId, name: r.userName },
        cost: r.cost,
        status: r.status,
        createdAt: r.createdAt.toISOString(),
        handedOverAt: r.handedOverAt?.toISOString() ?? null,
      }));
    },
  );

  app.post(
    '/redemptions/:id/hand-over',
    {
      schema: {
        tags,
        description: 'The service desk records that the redeemed item was handed over.',
        params: IdParams,
        body: EmptyBody,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await handOver(app, request, { redemptionId: request.params.id });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/communities/:id/stars',
    {
      schema: {
        tags,
        description: "服务之星: the month's volunteers with the most confirmed service hours.",
        params: IdParams,
        querystring: Type.Object(
          { month: Type.Optional(Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' })) },
          { additionalProperties: false },
        ),
        response: { 200: Stars, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const rel = await loadCommunityAccess(app.db, requireUser(request), request.params.id);
      requireBelongs(request, rel);
      const month = request.query.month ?? chinaMonth(new Date());
      const rows = await starsOf(app.db, rel.community.id, month);
      return {
        month,
        stars: rows.map((r) => ({
          user: { id: r.userId, name: r.name },
          minutes: r.minutes,
          activities: r.activities,
        })),
      };
    },
  );
}
