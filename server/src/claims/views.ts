import {
  claimBlocker,
  isOverdue,
  judgeMove,
  type ClaimStatus,
} from '@tongxin/shared/claims/claims';
import type { ClaimView, ItemSummary, ItemView } from '@tongxin/shared/claims/claims.schemas';
import type { ClaimRow, ItemRow } from '@tongxin/db';
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

/** Is the viewer the one who works on this claim (themselves, or for a unit they represent)? */
export function isClaimant(row: ClaimRow, rel: CommunityRelation): boolean {
  if (row.unitId) return rel.units.some((u) => u.id === row.unitId);
  return row.userId === rel.user.id;
}

/** May the viewer confirm this claim's delivery: the community, or the resident who wished it. */
export function mayConfirm(row: ClaimRow, rel: CommunityRelation): boolean {
  return rel.secretary || (row.itemKind === 'wish' && row.itemPostedBy === rel.user.id);
}

export function toClaimView(row: ClaimRow, rel: CommunityRelation): ClaimView {
  const mine = isClaimant(row, rel);
  const status = row.status as ClaimStatus;
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
    rating: row.rating,
    ratingComment: row.ratingComment,
    claimedAt: row.claimedAt.toISOString(),
    deliveredAt: iso(row.deliveredAt),
    confirmedAt: iso(row.confirmedAt),
    canStart: mine && judgeMove('start', status) !== null,
    canDeliver: mine && judgeMove('deliver', status) !== null,
    canWithdraw: mine && judgeMove('withdraw', status) !== null,
    canConfirm: mayConfirm(row, rel) && judgeMove('confirm', status) !== null,
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
