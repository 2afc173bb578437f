import { EmptyBody } from '@tongxin/shared';
import { Type } from 'typebox';
import type { NotificationKind } from '@tongxin/shared/notifications/notifications';
import { judgeMove, type ClaimMove, type ClaimStatus } from '@tongxin/shared/claims/claims';
import { ClaimView, ConfirmBody, DeliverBody } from '@tongxin/shared/claims/claims.schemas';
import {
  claimRowsOfUser,
  communitiesOfUser,
  findClaimRow,
  lockClaim,
  unitsRepresented,
  writeAudit,
  type ClaimRow,
  type Tx,
} from '@tongxin/db';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser, say } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { loadRelation, type CommunityRelation } from './community-access.ts';
import type { DoubleReportContext } from './double-report.plugin.ts';
import { isClaimant, mayConfirm, toClaimView } from './views.ts';
import { IdParams } from '../http/params.ts';

const tags = ['double report'];
const CLAIMS_LINK = '/double-report/mine';

const stuck: Record<ClaimMove, { zh: string; en: string }> = {
  start: { zh: '只有刚认领的事项可以开始办理。', en: 'Only a fresh claim can be started.' },
  deliver: { zh: '这一项现在不能提交完成。', en: 'This claim cannot be delivered now.' },
  withdraw: {
    zh: '已经开始办理的认领不能撤回；如有困难请联系社区。',
    en: 'Work has started, so the claim can no longer be withdrawn; talk to the community.',
  },
  confirm: { zh: '只有已提交完成的认领可以确认。', en: 'Only a delivered claim can be confirmed.' },
};

interface MoveSpec {
  move: ClaimMove;
  /** Who hears about it: the poster is asked to confirm a delivery, the claimant learns the verdict. */
  tell?(row: ClaimRow, request: FastifyRequest): Notice;
  allowed(row: ClaimRow, rel: CommunityRelation): boolean;
  forbidden: { zh: string; en: string };
  apply(tx: Tx, row: ClaimRow, request: FastifyRequest): Promise<void>;
}

interface Notice {
  to: string[];
  kind: NotificationKind;
  params: Record<string, string>;
}

const byClaimant = {
  allowed: isClaimant,
  forbidden: {
    zh: '只有认领人（或认领单位的代表）可以办理这一项。',
    en: 'Only the claimant (or a representative of the claiming unit) can do this.',
  },
};

async function setStatus(tx: Tx, id: string, values: Record<string, unknown>) {
  await tx
    .updateTable('claims')
    .set({ ...values, updatedAt: new Date() })
    .where('id', '=', id)
    .execute();
}

const MOVES: MoveSpec[] = [
  {
    move: 'start',
    ...byClaimant,
    apply: (tx, row) => setStatus(tx, row.id, { status: 'in_progress', startedAt: new Date() }),
  },
  {
    move: 'withdraw',
    ...byClaimant,
    async apply(tx, row) {
      await setStatus(tx, row.id, { status: 'withdrawn', withdrawnAt: new Date() });
      // The place opens again for whoever watches the item.
      await tx
        .updateTable('claimItems')
        .set((eb) => ({ activeClaims: eb('activeClaims', '-', 1) }))
        .where('id', '=', row.itemId)
        .execute();
    },
  },
  {
    move: 'deliver',
    ...byClaimant,
    tell: (row) => ({
      to: [row.itemPostedBy],
      kind: 'claim_delivered',
      params: { title: row.itemTitle, claimant: row.unitName ?? row.userName },
    }),
    apply: (tx, row, request) =>
      setStatus(tx, row.id, {
        status: 'delivered',
        deliveredAt: new Date(),
        deliveryNote: (request.body as DeliverBody).note.trim(),
      }),
  },
  {
    move: 'confirm',
    allowed: mayConfirm,
    tell: (row, request) => ({
      to: [row.userId],
      kind: 'claim_confirmed',
      params: { title: row.itemTitle, rating: String((request.body as ConfirmBody).rating) },
    }),
    forbidden: {
      zh: '完成情况由社区确认，微心愿也可以由许愿的居民确认。',
      en: 'Deliveries are confirmed by the community, or a wish by the resident who made it.',
    },
    async apply(tx, row, request) {
      const body = request.body as ConfirmBody;
      await setStatus(tx, row.id, {
        status: 'confirmed',
        confirmedAt: new Date(),
        confirmedBy: request.user!.id,
        rating: body.rating,
        ratingComment: body.comment?.trim() || null,
      });
      // Once every place is fulfilled, the item leaves the open lists.
      const done = await tx
        .selectFrom('claims')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('itemId', '=', row.itemId)
        .where('status', '=', 'confirmed')
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('claimItems')
        .set({ status: 'closed' })
        .where('id', '=', row.itemId)
        .where('quota', '<=', Number(done.n))
        .execute();
    },
  },
];

const BODIES = {
  start: EmptyBody,
  withdraw: EmptyBody,
  deliver: DeliverBody,
  confirm: ConfirmBody,
};

export async function claimRoutes(app: App, ctx: DoubleReportContext) {
  for (const spec of MOVES) {
    app.post(
      `/claims/:id/${spec.move}`,
      {
        schema: {
          tags,
          params: IdParams,
          body: BODIES[spec.move],
          response: { 200: ClaimView, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const row = await findClaimRow(app.db, (request.params as { id: string }).id);
        if (!row) throw new AppError(404, 'not_found');
        const rel = await loadRelation(app.db, user, row.communityId);
        if (!spec.allowed(row, rel))
          throw new AppError(403, 'forbidden', say(request, spec.forbidden.zh, spec.forbidden.en));
        const notice = spec.tell?.(row, request);
        await app.db.transaction().execute(async (tx) => {
          const current = await lockClaim(tx, row.id);
          if (!current || judgeMove(spec.move, current.status as ClaimStatus) === null)
            throw new AppError(
              409,
              'illegal_state',
              say(request, stuck[spec.move].zh, stuck[spec.move].en),
            );
          await spec.apply(tx, row, request);
          await writeAudit(tx, {
            actorId: user.id,
            action: `claim.${spec.move}`,
            targetType: 'claim',
            targetId: row.id,
          });
          if (notice)
            await app.notifications.send(tx, notice.to, notice.kind, notice.params, CLAIMS_LINK);
        });
        if (notice) void app.notifications.refresh(notice.to);
        void ctx.publish(row.communityId);
        return toClaimView((await findClaimRow(app.db, row.id))!, rel);
      },
    );
  }

  app.get(
    '/me/claims',
    {
      schema: {
        tags,
        description: 'My claims, and those of the units I represent.',
        response: { 200: Type.Array(ClaimView), ...errors(401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const communities = await communitiesOfUser(app.db, user.id);
      const unitIds = (
        await Promise.all(communities.map((c) => unitsRepresented(app.db, user.id, c.id)))
      ).flatMap((units) => units.map((u) => u.id));
      const rows = await claimRowsOfUser(app.db, user.id, unitIds);
      const relations = new Map<string, CommunityRelation>();
      const views = [];
      for (const row of rows) {
        let rel = relations.get(row.communityId);
        if (!rel) {
          rel = await loadRelation(app.db, user, row.communityId);
          relations.set(row.communityId, rel);
        }
        views.push(toClaimView(row, rel));
      }
      return views;
    },
  );
}
