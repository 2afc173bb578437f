import { judgeMove, type ClaimMove, type ClaimStatus } from '@tongxin/shared/claims/claims';
import type { ConfirmBody, DeliverBody } from '@tongxin/shared/claims/claims.schemas';
import type { RefusalCode } from '@tongxin/shared/refusals';
import { findClaimRow, lockClaim, type ClaimRow, type Tx } from '@tongxin/db';
import { closeItemIfFulfilled, releasePlace, updateClaim } from '@tongxin/db/claims/claims.queries';
import { AppError, refuse } from '../http/app-error.ts';
import type { App } from '../http/types.ts';
import { claimsCommand, type ClaimsCtx, type Notice } from './command.ts';
import { isClaimant, mayConfirm } from './views.ts';

const CLAIMS_LINK = '/double-report/mine';

/** Why each move is refused when the claim is not where the move starts from. */
const STUCK: Record<ClaimMove, RefusalCode> = {
  start: 'claim_not_fresh',
  deliver: 'claim_not_deliverable',
  withdraw: 'claim_work_started',
  confirm: 'claim_not_delivered',
};

interface MoveSpec<Body> {
  move: ClaimMove;
  /** The claimant works on a claim; the community (or the wisher) confirms it. */
  by: 'claimant' | 'confirmer';
  apply(tx: Tx, ctx: ClaimsCtx<ClaimRow>, body: Body): Promise<void>;
  notice?(row: ClaimRow, body: Body): Notice;
}

/** One move of a claim's life (shared/src/claims/claims.ts judgeMove), under the claim's lock. */
function claimMove<Body>(spec: MoveSpec<Body>) {
  return claimsCommand({
    async target(app: App, input: { claimId: string; body: Body }) {
      const row = await findClaimRow(app.db, input.claimId);
      if (!row) throw new AppError(404, 'not_found');
      return row;
    },
    authorise({ rel, target: row }) {
      if (spec.by === 'claimant' && !isClaimant(row, rel)) throw refuse('not_the_claimant');
      if (spec.by === 'confirmer' && !mayConfirm(row, rel)) throw refuse('confirm_by_community');
    },
    async lock(tx, { target: row }) {
      const current = await lockClaim(tx, row.id);
      if (!current || judgeMove(spec.move, current.status as ClaimStatus) === null)
        throw refuse(STUCK[spec.move]);
    },
    run: (tx, ctx, _locked, { body }) => spec.apply(tx, ctx, body),
    audit: {
      action: `claim.${spec.move}`,
      entry: ({ rel, target: row }) => ({
        actorId: rel.user.id,
        targetType: 'claim',
        targetId: row.id,
      }),
    },
    ...(spec.notice
      ? {
          notice: ({ target: row }: ClaimsCtx<ClaimRow>, { body }: { body: Body }) =>
            spec.notice!(row, body),
        }
      : {}),
  });
}

export const startClaim = claimMove<Record<string, never>>({
  move: 'start',
  by: 'claimant',
  apply: (tx, { target: row }) =>
    updateClaim(tx, row.id, { status: 'in_progress', startedAt: new Date() }),
});

/** Before work starts a claim can be dropped; its place opens again. */
export const withdrawClaim = claimMove<Record<string, never>>({
  move: 'withdraw',
  by: 'claimant',
  async apply(tx, { target: row }) {
    await updateClaim(tx, row.id, { status: 'withdrawn', withdrawnAt: new Date() });
    await releasePlace(tx, row.itemId);
  },
});

/** The claimant reports it done; whoever posted the item is asked to confirm. */
export const deliverClaim = claimMove<DeliverBody>({
  move: 'deliver',
  by: 'claimant',
  apply: (tx, { target: row }, body) =>
    updateClaim(tx, row.id, {
      status: 'delivered',
      deliveredAt: new Date(),
      deliveryNote: body.note.trim(),
    }),
  notice: (row) => ({
    to: [row.itemPostedBy],
    kind: 'claim_delivered',
    params: { title: row.itemTitle, claimant: row.unitName ?? row.userName },
    link: CLAIMS_LINK,
  }),
});

/** The community (or the wisher) confirms a delivery and rates it; the claimant hears. */
export const confirmClaim = claimMove<ConfirmBody>({
  move: 'confirm',
  by: 'confirmer',
  async apply(tx, { rel, target: row }, body) {
    await updateClaim(tx, row.id, {
      status: 'confirmed',
      confirmedAt: new Date(),
      confirmedBy: rel.user.id,
      rating: body.rating,
      ratingComment: body.comment?.trim() || null,
    });
    await closeItemIfFulfilled(tx, row.itemId);
  },
  notice: (row, body) => ({
    to: [row.userId],
    kind: 'claim_confirmed',
    params: { title: row.itemTitle, rating: String(body.rating) },
    link: CLAIMS_LINK,
  }),
});
