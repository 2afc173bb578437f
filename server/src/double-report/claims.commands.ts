import { judgeClaimMove, type ClaimMove } from '@tongxin/shared/double-report/claims';
import type { ConfirmBody, DeliverBody } from '@tongxin/shared/double-report/claims.schemas';
import type { Tx } from '@tongxin/db/create-db';
import { findClaimRow, lockClaim, type ClaimRow } from '@tongxin/db/double-report/claims.queries';
import {
  closeItemIfFulfilled,
  releasePlace,
  updateClaim,
} from '@tongxin/db/double-report/claims.queries';
import { AppError, refuse } from '../http/app-error.ts';
import { attachOwnPhotos } from '../photos/attach.ts';
import type { App } from '../http/types.ts';
import { claimsCommand, type ClaimsCtx, type Notice } from './command.ts';
import { claimActor, moveFacts } from './views.ts';
import {
  claimConfirmedOnItem,
  claimDeliveredOnItem,
  lockHandoffItem,
  republishItemRoom,
  type ItemTouched,
} from '../roundtables/handoff.commands.ts';

const CLAIMS_LINK = '/double-report/mine';

interface MoveSpec<Body> {
  move: ClaimMove;
  /** What it did to a roundtable action item the project was published for, if anything. */
  apply(tx: Tx, ctx: ClaimsCtx<ClaimRow>, body: Body): Promise<ItemTouched | null | void>;
  notice?(row: ClaimRow, body: Body): Notice;
}

/** One move of a claim's life (shared/src/double-report/claims.ts judgeMove), under the claim's lock. */
function claimMove<Body>(spec: MoveSpec<Body>) {
  return claimsCommand({
    async target(app: App, input: { claimId: string; body: Body }) {
      const row = await findClaimRow(app.db, input.claimId);
      if (!row) throw new AppError(404, 'not_found');
      return row;
    },
    authorise({ rel, target: row }) {
      const refusal = judgeClaimMove(spec.move, moveFacts(row), claimActor(rel));
      if (refusal) throw refuse(refusal);
    },
    async lock(tx, { rel, target: row }) {
      // A project published from a roundtable's action item: that item first (the lock order
      // in server/src/roundtables/handoff.commands.ts), then the claim.
      await lockHandoffItem(tx, row.actionItemId);
      // Judged again on the claim as it stands under its lock (a second tap, a withdrawal).
      const current = await lockClaim(tx, row.id);
      if (!current) throw new AppError(404, 'not_found');
      const refusal = judgeClaimMove(
        spec.move,
        { ...moveFacts(row), status: current.status },
        claimActor(rel),
      );
      if (refusal) throw refuse(refusal);
    },
    run: (tx, ctx, _locked, { body }) => spec.apply(tx, ctx, body),
    // The item's room shows the claim's state, and its progress once delivered or confirmed.
    effects: (app, { target: row }, _input, touched) =>
      republishItemRoom(app, row.actionItemId, touched),
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
  apply: (tx, { target: row }) =>
    updateClaim(tx, row.id, { status: 'in_progress', startedAt: new Date() }),
});

/** Before work starts a claim can be dropped; its place opens again. */
export const withdrawClaim = claimMove<Record<string, never>>({
  move: 'withdraw',
  async apply(tx, { target: row }) {
    await updateClaim(tx, row.id, { status: 'withdrawn', withdrawnAt: new Date() });
    await releasePlace(tx, row.itemId);
  },
});

/** The claimant reports it done; whoever posted the item is asked to confirm. */
export const deliverClaim = claimMove<DeliverBody>({
  move: 'deliver',
  async apply(tx, { rel, target: row }, body) {
    await updateClaim(tx, row.id, {
      status: 'delivered',
      deliveredAt: new Date(),
      deliveryNote: body.note.trim(),
    });
    // The evidence: the deliverer's own photos, attached in the same transaction.
    await attachOwnPhotos(tx, rel.user.id, body.photoIds, { claimId: row.id });
    return claimDeliveredOnItem(tx, row, body.note.trim());
  },
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
  async apply(tx, { rel, target: row, notifier }, body) {
    await updateClaim(tx, row.id, {
      status: 'confirmed',
      confirmedAt: new Date(),
      confirmedBy: rel.user.id,
      rating: body.rating,
      ratingComment: body.comment?.trim() || null,
    });
    await closeItemIfFulfilled(tx, row.itemId);
    // A project published from a roundtable: its action item is done and goes to 评事.
    return claimConfirmedOnItem(tx, notifier, row, rel.user.id, body.comment?.trim() || null);
  },
  notice: (row, body) => ({
    to: [row.userId],
    kind: 'claim_confirmed',
    params: { title: row.itemTitle, rating: String(body.rating) },
    link: CLAIMS_LINK,
  }),
});
