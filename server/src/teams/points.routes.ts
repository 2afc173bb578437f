import { EmptyBody } from '@tongxin/shared';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { chinaMonth } from '@tongxin/shared/time/china';
import {
  CatalogueBody,
  CatalogueChange,
  CatalogueItemView,
  DeskRedemption,
  MyPoints,
  RedemptionView,
  Stars,
} from '@tongxin/shared/teams/teams.schemas';
import { appendLedger, ledgerOf, writeAudit, type CatalogueItem } from '@tongxin/db';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { requireSecretary } from '../claims/community-access.ts';
import { loadTeamsRelation, requireBelongs } from './access.ts';
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
    '/communities/:id/points/me',
    {
      schema: {
        tags,
        description:
          'My points in this community: the balance is the sum of my ledger, listed newest first.',
        params: IdParams,
        response: { 200: MyPoints, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const rel = await loadTeamsRelation(app.db, requireUser(request), request.params.id);
      requireBelongs(request, rel);
      const [entries, minutes] = await Promise.all([
        ledgerOf(app.db, rel.user.id, rel.community.id),
        app.db
          .selectFrom('signups as s')
          .innerJoin('activities as a', 'a.id', 's.activityId')
          .select((eb) =>
            eb.fn.coalesce(eb.fn.sum<string>('s.serviceMinutes'), sql<string>`0`).as('m'),
          )
          .where('s.userId', '=', rel.user.id)
          .where('a.communityId', '=', rel.community.id)
          .where('s.hoursConfirmedAt', 'is not', null)
          .executeTakeFirstOrThrow(),
      ]);
      return {
        community: rel.community,
        balance: entries.reduce((sum, e) => sum + e.delta, 0),
        confirmedMinutes: Number(minutes.m),
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
        description: '积分商城: what points buy here, with stock.',
        params: IdParams,
        response: { 200: Type.Array(CatalogueItemView), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const rel = await loadTeamsRelation(app.db, requireUser(request), request.params.id);
      requireBelongs(request, rel);
      const items = await app.db
        .selectFrom('catalogueItems')
        .selectAll()
        .where('communityId', '=', rel.community.id)
        .where('active', '=', true)
        .orderBy('cost')
        .execute();
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
      const rel = await loadTeamsRelation(app.db, requireUser(request), request.params.id);
      requireSecretary(request, rel);
      const b = request.body;
      const item = await app.db
        .insertInto('catalogueItems')
        .values({
          communityId: rel.community.id,
          name: b.name.trim(),
          description: b.description?.trim() ?? '',
          cost: b.cost,
          stock: b.stock,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return reply.code(201).send(toItemView(item));
    },
  );

  /** An item still on offer, and the secretary of its community (else 403/404). */
  async function managedItem(request: FastifyRequest, id: string): Promise<CatalogueItem> {
    const item = await app.db
      .selectFrom('catalogueItems')
      .selectAll()
      .where('id', '=', id)
      .where('active', '=', true)
      .executeTakeFirst();
    if (!item) throw new AppError(404, 'not_found');
    requireSecretary(
      request,
      await loadTeamsRelation(app.db, requireUser(request), item.communityId),
    );
    return item;
  }

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
      const item = await managedItem(request, request.params.id);
      const b = request.body;
      const updated = await app.db.transaction().execute(async (tx) => {
        const row = await tx
          .updateTable('catalogueItems')
          .set({
            ...(b.name !== undefined ? { name: b.name.trim() } : {}),
            ...(b.description !== undefined ? { description: b.description.trim() } : {}),
            ...(b.cost !== undefined ? { cost: b.cost } : {}),
            ...(b.stock !== undefined ? { stock: b.stock } : {}),
          })
          .where('id', '=', item.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await writeAudit(tx, {
          actorId: requireUser(request).id,
          action: 'points.item_change',
          targetType: 'catalogue_item',
          targetId: item.id,
          details: { ...b },
        });
        return row;
      });
      return toItemView(updated);
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
      const item = await managedItem(request, request.params.id);
      await app.db.transaction().execute(async (tx) => {
        await tx
          .updateTable('catalogueItems')
          .set({ active: false })
          .where('id', '=', item.id)
          .execute();
        await writeAudit(tx, {
          actorId: requireUser(request).id,
          action: 'points.item_withdraw',
          targetType: 'catalogue_item',
          targetId: item.id,
        });
      });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/catalogue/:id/redeem',
    {
      schema: {
        tags,
        description:
          'Spends points on one item. Refused when stock or points run short, whatever runs at the same time.',
        params: IdParams,
        body: EmptyBody,
        response: { 201: RedemptionView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const item = await app.db
        .selectFrom('catalogueItems')
        .selectAll()
        .where('id', '=', request.params.id)
        .where('active', '=', true)
        .executeTakeFirst();
      if (!item) throw new AppError(404, 'not_found');
      const rel = await loadTeamsRelation(app.db, user, item.communityId);
      requireBelongs(request, rel);
      const view = await app.db.transaction().execute(async (tx) => {
        // The stock row is the queue: one decrement at a time, never below zero.
        const taken = await tx
          .updateTable('catalogueItems')
          .set((eb) => ({ stock: eb('stock', '-', 1) }))
          .where('id', '=', item.id)
          .where('stock', '>', 0)
          .returning('stock')
          .executeTakeFirst();
        if (!taken) throw new AppError(409, 'out_of_stock');
        const redemption = await tx
          .insertInto('redemptions')
          .values({
            itemId: item.id,
            userId: user.id,
            communityId: item.communityId,
            cost: item.cost,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const balanceAfter = await appendLedger(
          tx,
          {
            userId: user.id,
            communityId: item.communityId,
            delta: -item.cost,
            reason: 'redemption',
            redemptionId: redemption.id,
            createdBy: user.id,
          },
          (before) => {
            if (before < item.cost) throw new AppError(409, 'not_enough_points');
          },
        );
        await writeAudit(tx, {
          actorId: user.id,
          action: 'points.redeem',
          targetType: 'redemption',
          targetId: redemption.id,
        });
        return {
          id: redemption.id,
          item: { id: item.id, name: item.name },
          cost: item.cost,
          status: redemption.status,
          balanceAfter,
          createdAt: redemption.createdAt.toISOString(),
        };
      });
      return reply.code(201).send(view);
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
      const rel = await loadTeamsRelation(app.db, requireUser(request), request.params.id);
      requireSecretary(request, rel);
      const rows = await app.db
        .selectFrom('redemptions as r')
        .innerJoin('catalogueItems as c', 'c.id', 'r.itemId')
        .innerJoin('users as u', 'u.id', 'r.userId')
        .select([
          'r.id',
          'r.itemId',
          'c.name as itemName',
          'r.userId',
          'u.displayName as userName',
          'r.cost',
          'r.status',
          'r.createdAt',
          'r.handedOverAt',
        ])
        .where('r.communityId', '=', rel.community.id)
        .orderBy('r.status', 'desc')
        .orderBy('r.createdAt', 'desc')
        .limit(200)
        .execute();
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
      const user = requireUser(request);
      const redemption = await app.db
        .selectFrom('redemptions')
        .selectAll()
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!redemption) throw new AppError(404, 'not_found');
      const rel = await loadTeamsRelation(app.db, user, redemption.communityId);
      requireSecretary(request, rel);
      await app.db.transaction().execute(async (tx) => {
        const done = await tx
          .updateTable('redemptions')
          .set({ status: 'handed_over', handedOverAt: new Date(), handedOverBy: user.id })
          .where('id', '=', redemption.id)
          .where('status', '=', 'pending')
          .returning('id')
          .executeTakeFirst();
        if (!done) throw new AppError(409, 'illegal_state');
        await writeAudit(tx, {
          actorId: user.id,
          action: 'points.hand_over',
          targetType: 'redemption',
          targetId: redemption.id,
        });
      });
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
      const rel = await loadTeamsRelation(app.db, requireUser(request), request.params.id);
      requireBelongs(request, rel);
      const month = request.query.month ?? chinaMonth(new Date());
      const rows = await sql<{ userId: string; name: string; minutes: number; shifts: number }>`
        select s.user_id, u.display_name as name,
               sum(s.service_minutes)::int as minutes, count(*)::int as shifts
        from signups s
        join activities a on a.id = s.activity_id
        join users u on u.id = s.user_id
        where a.community_id = ${rel.community.id}
          and s.hours_confirmed_at is not null and s.service_minutes > 0
          and to_char((a.starts_at at time zone 'UTC') + interval '8 hours', 'YYYY-MM') = ${month}
        group by s.user_id, u.display_name
        order by minutes desc, shifts desc, name
        limit 10`.execute(app.db);
      return {
        month,
        stars: rows.rows.map((r) => ({
          user: { id: r.userId, name: r.name },
          minutes: r.minutes,
          shifts: r.shifts,
        })),
      };
    },
  );
}
