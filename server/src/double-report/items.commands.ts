import { judgeClaim, posterMayPost, type Poster } from '@tongxin/shared/double-report/claims';
import type {
  ClaimBody,
  ModerateItemBody,
  PostItemBody,
} from '@tongxin/shared/double-report/claims.schemas';
import { findItemRow, lockClaimItem } from '@tongxin/db/double-report/claims.queries';
import { isUniqueViolation } from '@tongxin/db/pg-errors';
import {
  insertClaim,
  insertItem,
  liveClaimsOfItem,
  reviewItem,
} from '@tongxin/db/double-report/items.queries';
import { AppError, refuse } from '../http/app-error.ts';
import type { App } from '../http/types.ts';
import { claimsCommand } from './command.ts';
import { claimFacts, type CommunityRelation } from './community-access.ts';
import { republishItemRoom } from '../roundtables/handoff.commands.ts';

async function itemTarget(app: App, input: { itemId: string }) {
  const item = await findItemRow(app.db, input.itemId);
  if (!item) throw new AppError(404, 'not_found');
  return item;
}

/** Pending and rejected wishes are for the community and the resident who posted them. */
export function maySee(item: { status: string; postedBy: string }, rel: CommunityRelation) {
  return (
    rel.secretary ||
    item.status === 'open' ||
    item.status === 'closed' ||
    item.postedBy === rel.user.id
  );
}

/** Who the person posts as, for this kind of item; null when they may not post it. */
function posterFor(rel: CommunityRelation, kind: PostItemBody['kind']): Poster | null {
  if (kind === 'resource') return rel.reportedUnits.length ? 'unit_rep' : null;
  return rel.secretary ? 'secretary' : rel.belongs ? 'resident' : null;
}

/**
 * Posting to the three lists: residents post micro-wishes (reviewed first), reported units
 * offer resources, the secretary publishes needs, projects and tasks.
 */
export const postItem = claimsCommand({
  target: async (_app, input: { communityId: string; body: PostItemBody }) => ({
    communityId: input.communityId,
  }),
  authorise({ rel }, { body }) {
    const poster = posterFor(rel, body.kind);
    if (!poster || !posterMayPost(poster, body.kind))
      throw refuse(
        body.kind === 'resource' ? 'resource_needs_reported_unit' : 'kind_for_secretary',
        {},
        'kind',
      );
    if (body.kind === 'resource') {
      if (body.unitId && !rel.reportedUnits.some((u) => u.id === body.unitId))
        throw refuse('not_your_unit', {}, 'unitId');
    } else if (body.unitId) {
      throw refuse('unit_only_on_resources', {}, 'unitId');
    }
    if (body.dueAt && new Date(body.dueAt).getTime() < Date.now())
      throw refuse('deadline_past', {}, 'dueAt');
  },
  run: (tx, { rel }, _locked, { body }) =>
    insertItem(tx, {
      communityId: rel.community.id,
      kind: body.kind,
      title: body.title.trim(),
      description: body.description?.trim() ?? '',
      // A resident's wish waits for the community's review before it is public.
      status: body.kind === 'wish' && !rel.secretary ? 'pending_review' : 'open',
      postedBy: rel.user.id,
      unitId: body.kind === 'resource' ? (body.unitId ?? rel.reportedUnits[0]!.id) : null,
      availability: body.availability?.trim() || null,
      quota: body.quota ?? 1,
      dueAt: body.dueAt ? new Date(body.dueAt) : null,
    }),
  audit: {
    action: 'item.post',
    entry: ({ rel }, { body }, id) => ({
      actorId: rel.user.id,
      targetType: 'claim_item',
      targetId: id,
      details: { kind: body.kind, communityId: rel.community.id },
    }),
  },
});

/** The community reviews a micro-wish before it is public; the resident hears the verdict. */
function reviewWish(decision: ModerateItemBody['decision']) {
  return claimsCommand({
    target: (app, input: { itemId: string; body: ModerateItemBody }) => itemTarget(app, input),
    authorise({ rel }, { body }) {
      if (!rel.secretary) throw refuse('secretary_only');
      if (decision === 'reject' && !body.reason?.trim())
        throw refuse('rejection_needs_reason', {}, 'reason');
    },
    async run(tx, { target: item }, _locked, { body }) {
      const reviewed = await reviewItem(tx, item.id, {
        status: decision === 'approve' ? 'open' : 'rejected',
        reviewNote: body.reason?.trim() || null,
      });
      if (!reviewed) throw refuse('wish_already_reviewed');
    },
    audit: {
      action: `item.${decision}`,
      entry: ({ rel, target: item }) => ({
        actorId: rel.user.id,
        targetType: 'claim_item',
        targetId: item.id,
      }),
    },
    notice: ({ target: item }, { body }) => ({
      to: [item.postedBy],
      kind: 'wish_reviewed',
      params: { title: item.title, decision, reason: body.reason?.trim() ?? '' },
      link: `/double-report/items/${item.id}`,
    }),
  });
}

export const approveWish = reviewWish('approve');
export const rejectWish = reviewWish('reject');

/**
 * 认领: a unit (through its representative, `unitId`) claims a project; a reported member
 * claims a task, need or micro-wish. Judged by the shared rule before the transaction and
 * again under the item's row lock, where claims on one item queue.
 */
export const claimItem = claimsCommand({
  target: (app, input: { itemId: string; body: ClaimBody }) => itemTarget(app, input),
  authorise({ rel, target: item }, { body }) {
    if (!maySee(item, rel)) throw new AppError(404, 'not_found');
    // Who the person is; the item's places are judged under the lock.
    const refusal = judgeClaim(claimFacts(item, rel, []), body.unitId ?? null);
    if (refusal && refusal !== 'claim_full') throw refuseClaim(refusal);
  },
  async lock(tx, { target: item }) {
    const locked = await lockClaimItem(tx, item.id);
    if (!locked) throw new AppError(404, 'not_found');
    return locked;
  },
  async run(tx, { rel, target: item }, locked, { body }) {
    const unitId = body.unitId ?? null;
    const held = await liveClaimsOfItem(tx, item.id);
    const refusal = judgeClaim(claimFacts(locked, rel, held), unitId);
    if (refusal) throw refuseClaim(refusal);
    try {
      return await insertClaim(tx, { itemId: item.id, userId: rel.user.id, unitId });
    } catch (error) {
      // The unique index on live claims: two taps at once leave one.
      if (isUniqueViolation(error)) throw refuse('already_claimed');
      throw error;
    }
  },
  audit: {
    action: 'item.claim',
    entry: ({ rel, target: item }, { body }, claimId) => ({
      actorId: rel.user.id,
      targetType: 'claim',
      targetId: claimId,
      details: { itemId: item.id, unitId: body.unitId ?? null },
    }),
  },
  notice: ({ rel, target: item }, { body }) => ({
    to: [item.postedBy],
    kind: 'item_claimed',
    params: {
      title: item.title,
      claimant: rel.units.find((u) => u.id === body.unitId)?.name ?? rel.user.displayName,
    },
    link: `/double-report/items/${item.id}`,
  }),
  // A project published from a roundtable: the item's room shows who claimed it.
  effects: (app, { target: item }) => republishItemRoom(app, item.actionItemId, null),
});

/** The refusal, naming the form field it is about. */
function refuseClaim(refusal: NonNullable<ReturnType<typeof judgeClaim>>) {
  return refusal === 'unit_required' ||
    refusal === 'not_your_unit' ||
    refusal === 'unit_not_claimant'
    ? refuse(refusal, {}, 'unitId')
    : refuse(refusal);
}
