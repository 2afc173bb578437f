import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import { LIST_KINDS } from '@tongxin/shared/double-report/claims';
import {
  ClaimBody,
  ClaimView,
  ItemSummary,
  ItemView,
  ListQuery,
  ModerateItemBody,
  PostItemBody,
} from '@tongxin/shared/double-report/claims.schemas';
import {
  claimRowsOfItem,
  findClaimRow,
  findItemRow,
  listItemRows,
} from '@tongxin/db/double-report/claims.queries';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { loadRelation, requireBelongs, type CommunityRelation } from './community-access.ts';
import { claimBlockerFor, toClaimView, toItemSummary } from './views.ts';
import { approveWish, claimItem, maySee, postItem, rejectWish } from './items.commands.ts';
import { IdParams } from '../http/params.ts';

const tags = ['double report'];

/** The item as the caller sees it after a command (which has judged access already). */
async function itemViewFor(app: App, request: FastifyRequest, id: string) {
  const item = await findItemRow(app.db, id);
  if (!item) throw new AppError(404, 'not_found');
  return itemView(app, id, await loadRelation(app.db, requireUser(request), item.communityId));
}

async function itemView(app: App, id: string, rel: CommunityRelation) {
  const item = await findItemRow(app.db, id);
  if (!item) throw new AppError(404, 'not_found');
  const claims = await claimRowsOfItem(app.db, id);
  return {
    ...toItemSummary(item),
    claims: claims.filter((c) => c.status !== 'withdrawn').map((c) => toClaimView(c, rel)),
    claimBlocker: claimBlockerFor(item, claims, rel),
    myUnits: rel.reportedUnits,
  };
}

export async function claimItemRoutes(app: App) {
  app.post(
    '/communities/:id/items',
    {
      schema: {
        tags,
        description:
          'Posts to the three lists: residents post micro-wishes (reviewed first), units offer resources, the secretary publishes needs, projects and tasks.',
        params: IdParams,
        body: PostItemBody,
        response: { 201: ItemView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const id = await postItem(app, request, {
        communityId: request.params.id,
        body: request.body,
      });
      const rel = await loadRelation(app.db, requireUser(request), request.params.id);
      return reply.status(201).send(await itemView(app, id, rel));
    },
  );

  app.get(
    '/communities/:id/items',
    {
      schema: {
        tags,
        params: IdParams,
        querystring: ListQuery,
        response: { 200: Type.Array(ItemSummary), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const rel = await loadRelation(app.db, requireUser(request), request.params.id);
      requireBelongs(request, rel);
      const q = request.query;
      const rows = await listItemRows(app.db, {
        communityId: rel.community.id,
        ...(q.list ? { kinds: LIST_KINDS[q.list] } : {}),
        ...(q.status ? { status: q.status } : {}),
        openOnly: q.openOnly === 'true',
        viewerId: rel.user.id,
        seesAll: rel.secretary,
      });
      return rows.map(toItemSummary);
    },
  );

  app.get(
    '/claim-items/:id',
    {
      schema: { tags, params: IdParams, response: { 200: ItemView, ...errors(401, 403, 404) } },
    },
    async (request) => {
      const user = requireUser(request);
      const item = await findItemRow(app.db, request.params.id);
      if (!item) throw new AppError(404, 'not_found');
      const rel = await loadRelation(app.db, user, item.communityId);
      if (!rel.belongs && rel.units.length === 0) requireBelongs(request, rel);
      if (!maySee(item, rel)) throw new AppError(404, 'not_found');
      return itemView(app, item.id, rel);
    },
  );

  app.post(
    '/claim-items/:id/moderate',
    {
      schema: {
        tags,
        description: 'The community reviews a micro-wish before it is public.',
        params: IdParams,
        body: ModerateItemBody,
        response: { 200: ItemView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const review = request.body.decision === 'approve' ? approveWish : rejectWish;
      await review(app, request, { itemId: request.params.id, body: request.body });
      return itemViewFor(app, request, request.params.id);
    },
  );

  app.post(
    '/claim-items/:id/claims',
    {
      schema: {
        tags,
        description:
          '认领: a unit (through its representative, `unitId`) claims a project; a reported member claims a task, need or micro-wish.',
        params: IdParams,
        body: ClaimBody,
        response: { 201: ClaimView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const claimId = await claimItem(app, request, {
        itemId: request.params.id,
        body: request.body,
      });
      const row = (await findClaimRow(app.db, claimId))!;
      const rel = await loadRelation(app.db, requireUser(request), row.communityId);
      return reply.status(201).send(toClaimView(row, rel));
    },
  );
}
