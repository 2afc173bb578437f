import {
  claimBlocker,
  isOverdue,
  judgeClaimMove,
  type ClaimActor,
  type ClaimFactsOfMove,
  type ClaimMove,
  type ClaimStatus,
} from '@tongxin/shared/double-report/claims';
import type {
  ClaimView,
  ItemSummary,
  ItemView,
} from '@tongxin/shared/double-report/claims.schemas';
import type { ClaimRow, ItemRow } from '@tongxin/db/double-report/claims.queries';
import { claimFacts, type CommunityRelation } from './community-access.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toItemSummary(row: ItemRow): ItemSummary {
  return {
    id: row.id,
    community: { id: row.communityId, name: row.communityName },
    kind: row.kind,
    title: row.title,
    description: row.description,
    status: row.status,
    reviewNote: row.reviewNote,
    postedBy: { id: row.postedBy, name: row.posterName },
    unit: row.unitId ? { id: row.unitId, name: row.unitName ?? '' } : null,
    availability: row.availability,
    quota: row.quota,
    activeClaims: row.activeClaims,
    dueAt: iso(row.dueAt),
    createdAt: row.createdAt.toISOString(),
  };
}

/** The viewer as the claim rules see them. */
export function claimActor(rel: CommunityRelation): ClaimActor {
  return { userId: rel.user.id, units: rel.units.map((u) => u.id), secretary: rel.secretary };
}

/** A claim row as the claim rules see it. */
export function moveFacts(row: ClaimRow): ClaimFactsOfMove {
  return { ...row, status: row.status as ClaimStatus };
}

export function toClaimView(row: ClaimRow, rel: CommunityRelation): ClaimView {
  const status = row.status as ClaimStatus;
  const actor = claimActor(rel);
  const may = (move: ClaimMove) => judgeClaimMove(move, moveFacts(row), actor) === null;
  return {
    id: row.id,
    itemId: row.itemId,
    itemTitle: row.itemTitle,
    itemKind: row.itemKind,
    claimant: { id: row.userId, name: row.userName },
    unit: row.unitId ? { id: row.unitId, name: row.unitName ?? '' } : null,
    status,
    overdue: isOverdue(status, row.dueAt),
    deliveryNote: row.deliveryNote,
    deliveryPhotoIds: row.deliveryPhotoIds,
    rating: row.rating,
    ratingComment: row.ratingComment,
    claimedAt: row.claimedAt.toISOString(),
    deliveredAt: iso(row.deliveredAt),
    confirmedAt: iso(row.confirmedAt),
    canStart: may('start'),
    canDeliver: may('deliver'),
    canWithdraw: may('withdraw'),
    canConfirm: may('confirm'),
  };
}

/** Why the viewer cannot claim this item now, or null when one tap will do (shared rule). */
export function claimBlockerFor(
  item: ItemRow,
  claims: ClaimRow[],
  rel: CommunityRelation,
): ItemView['claimBlocker'] {
  return claimBlocker(
    claimFacts(
      item,
      rel,
      claims.filter((c) => c.status !== 'withdrawn'),
    ),
  );
}
