import { Type } from 'typebox';
import { LIST_KINDS, claimantFor, posterMayPost, type Poster } from '@tongxin/shared/claims/claims';
import {
  ClaimBody,
  ClaimView,
  ItemSummary,
  ItemView,
  ListQuery,
  ModerateItemBody,
  PostItemBody,
} from '@tongxin/shared/claims/claims.schemas';
import {
  claimRowsOfItem,
  findClaimRow,
  findItemRow,
  isUniqueViolation,
  listItemRows,
  lockClaimItem,
  writeAudit,
} from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser, say } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import {
  loadRelation,
  requireBelongs,
  requireSecretary,
  type CommunityRelation,
} from './community-access.ts';
import type { DoubleReportContext } from './double-report.plugin.ts';
import { claimBlocker, toClaimView, toItemSummary } from './views.ts';
import { IdParams } from '../http/params.ts';

const tags = ['double report'];

async function itemView(app: App, id: string, rel: CommunityRelation) {
  const item = await findItemRow(app.db, id);
  if (!item) throw new AppError(404, 'not_found');
  const claims = await claimRowsOfItem(app.db, id);
  return {
    ...toItemSummary(item),
    claims: claims.filter((c) => c.status !== 'withdrawn').map((c) => toClaimView(c, rel)),
    claimBlocker: claimBlocker(item, claims, rel),
    myUnits: rel.reportedUnits,
  };
}

/** Pending and rejected wishes are for the community and the resident who posted them. */
function maySee(item: { status: string; postedBy: string }, rel: CommunityRelation) {
  return (
    rel.secretary ||
    item.status === 'open' ||
    item.status === 'closed' ||
    item.postedBy === rel.user.id
  );
}

export async function itemRoutes(app: App, ctx: DoubleReportContext) {
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
      const rel = await loadRelation(app.db, requireUser(request), request.params.id);
      const body = request.body;
      const poster: Poster | null =
        body.kind === 'resource'
          ? rel.reportedUnits.length
            ? 'unit_rep'
            : null
          : rel.secretary
            ? 'secretary'
            : rel.belongs
              ? 'resident'
              : null;
      if (!poster || !posterMayPost(poster, body.kind))
        throw new AppError(
          403,
          'forbidden',
          say(
            request,
            body.kind === 'resource'
              ? '资源由已报到单位的代表发布。'
              : '居民可以发布微心愿；需求、项目和任务由社区书记发布。',
            body.kind === 'resource'
              ? 'Resources are offered by representatives of reported units.'
              : 'Residents post micro-wishes; needs, projects and tasks are published by the secretary.',
          ),
          'kind',
        );
      let unitId: string | null = null;
      if (body.kind === 'resource') {
        unitId = body.unitId ?? rel.reportedUnits[0]!.id;
        if (!rel.reportedUnits.some((u) => u.id === unitId))
          throw new AppError(
            403,
            'forbidden',
            say(
              request,
              '只能为自己代表的单位发布资源。',
              'Offer resources only for your own unit.',
            ),
            'unitId',
          );
      } else if (body.unitId) {
        throw new AppError(
          400,
          'validation_failed',
          say(request, '只有资源需要填写单位。', 'Only a resource names a unit.'),
          'unitId',
        );
      }
      if (body.dueAt && new Date(body.dueAt).getTime() < Date.now())
        throw new AppError(
          400,
          'validation_failed',
          say(request, '完成期限不能早于现在。', 'The deadline cannot be in the past.'),
          'dueAt',
        );
      const id = await app.db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('claimItems')
          .values({
            communityId: rel.community.id,
            kind: body.kind,
            title: body.title.trim(),
            description: body.description?.trim() ?? '',
            // A resident's wish waits for the community's review before it is public.
            status: body.kind === 'wish' && poster === 'resident' ? 'pending_review' : 'open',
            postedBy: rel.user.id,
            unitId,
            availability: body.availability?.trim() || null,
            quota: body.quota ?? 1,
            dueAt: body.dueAt ? new Date(body.dueAt) : null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await writeAudit(tx, {
          actorId: rel.user.id,
          action: 'item.post',
          targetType: 'claim_item',
          targetId: row.id,
          details: { kind: body.kind, communityId: rel.community.id },
        });
        return row.id;
      });
      void ctx.publish(rel.community.id);
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
      const user = requireUser(request);
      const item = await findItemRow(app.db, request.params.id);
      if (!item) throw new AppError(404, 'not_found');
      const rel = await loadRelation(app.db, user, item.communityId);
      requireSecretary(request, rel);
      const { decision, reason } = request.body;
      if (decision === 'reject' && !reason?.trim())
        throw new AppError(
          400,
          'validation_failed',
          say(
            request,
            '请写明理由，发布的居民会看到。',
            'Give a reason; the resident will see it.',
          ),
          'reason',
        );
      await app.db.transaction().execute(async (tx) => {
        const row = await tx
          .updateTable('claimItems')
          .set({
            status: decision === 'approve' ? 'open' : 'rejected',
            reviewNote: reason?.trim() || null,
          })
          .where('id', '=', item.id)
          .where('status', '=', 'pending_review')
          .returning('id')
          .executeTakeFirst();
        if (!row)
          throw new AppError(
            409,
            'illegal_state',
            say(request, '这条微心愿已经审核过了。', 'This wish has already been reviewed.'),
          );
        await writeAudit(tx, {
          actorId: user.id,
          action: `item.${decision}`,
          targetType: 'claim_item',
          targetId: item.id,
        });
        await app.notifications.send(
          tx,
          [item.postedBy],
          'wish_reviewed',
          { title: item.title, decision, reason: reason?.trim() ?? '' },
          `/double-report/items/${item.id}`,
        );
      });
      void app.notifications.refresh([item.postedBy]);
      void ctx.publish(rel.community.id);
      return itemView(app, item.id, rel);
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
      const user = requireUser(request);
      const item = await findItemRow(app.db, request.params.id);
      if (!item) throw new AppError(404, 'not_found');
      const rel = await loadRelation(app.db, user, item.communityId);
      if (!maySee(item, rel)) throw new AppError(404, 'not_found');
      const claimant = claimantFor(item.kind);
      if (!claimant)
        throw new AppError(
          409,
          'illegal_state',
          say(
            request,
            '资源清单里的资源不需要认领，可以联系提供单位。',
            'Resources are offered, not claimed: contact the unit.',
          ),
        );
      const unitId = request.body.unitId ?? null;
      if (claimant === 'unit') {
        if (!unitId)
          throw new AppError(
            400,
            'validation_failed',
            say(
              request,
              '项目由单位认领：请选择代表的单位。',
              'Projects are claimed by units: choose your unit.',
            ),
            'unitId',
          );
        if (!rel.units.some((u) => u.id === unitId))
          throw new AppError(
            403,
            'forbidden',
            say(
              request,
              '只能为自己代表的单位认领。',
              'You can only claim for a unit you represent.',
            ),
            'unitId',
          );
        if (!rel.reportedUnits.some((u) => u.id === unitId))
          throw new AppError(
            403,
            'not_reported',
            say(
              request,
              '该单位还没有向本社区报到，报到后才能认领。',
              'This unit has not reported to this community yet; report first.',
            ),
          );
      } else {
        if (unitId)
          throw new AppError(
            400,
            'validation_failed',
            say(
              request,
              '任务和微心愿由党员个人认领，无需选择单位。',
              'Tasks and wishes are claimed by members themselves, not units.',
            ),
            'unitId',
          );
        if (rel.memberReport?.status !== 'confirmed') throw new AppError(403, 'not_reported');
        if (item.postedBy === user.id)
          throw new AppError(
            403,
            'forbidden',
            say(request, '不能认领自己发布的心愿。', 'You cannot claim your own wish.'),
          );
      }
      let claimId: string;
      try {
        claimId = await app.db.transaction().execute(async (tx) => {
          // The item's row lock queues claims on one item; the counter's CHECK backs it up.
          const locked = await lockClaimItem(tx, item.id);
          if (locked?.status !== 'open')
            throw new AppError(
              409,
              'illegal_state',
              say(request, '这一项现在不能认领。', 'This item cannot be claimed now.'),
            );
          const holder = await tx
            .selectFrom('claims')
            .select('id')
            .where('itemId', '=', item.id)
            .where('status', '<>', 'withdrawn')
            .where((eb) =>
              unitId
                ? eb('unitId', '=', unitId)
                : eb.and([eb('unitId', 'is', null), eb('userId', '=', user.id)]),
            )
            .executeTakeFirst();
          if (holder) throw new AppError(409, 'already_claimed');
          if (locked.activeClaims >= locked.quota) throw new AppError(409, 'claim_full');
          await tx
            .updateTable('claimItems')
            .set((eb) => ({ activeClaims: eb('activeClaims', '+', 1) }))
            .where('id', '=', item.id)
            .execute();
          const row = await tx
            .insertInto('claims')
            .values({ itemId: item.id, userId: user.id, unitId })
            .returning('id')
            .executeTakeFirstOrThrow();
          await writeAudit(tx, {
            actorId: user.id,
            action: 'item.claim',
            targetType: 'claim',
            targetId: row.id,
            details: { itemId: item.id, unitId },
          });
          await app.notifications.send(
            tx,
            [item.postedBy],
            'item_claimed',
            {
              title: item.title,
              claimant: rel.units.find((u) => u.id === unitId)?.name ?? user.displayName,
            },
            `/double-report/items/${item.id}`,
          );
          return row.id;
        });
        void app.notifications.refresh([item.postedBy]);
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError(409, 'already_claimed');
        throw error;
      }
      void ctx.publish(rel.community.id);
      return reply.status(201).send(toClaimView((await findClaimRow(app.db, claimId))!, rel));
    },
  );
}
