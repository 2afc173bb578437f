/**
 * 双报到 · 双认领: the three lists, who may claim what, and the life of a claim.
 * Pure rules, used by the server to enforce and by the pages to show only what applies.
 */
export const ITEM_KINDS = ['need', 'wish', 'resource', 'project', 'task'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** The three lists (三个清单): needs (incl. micro-wishes), resources, projects (incl. tasks). */
export const LISTS = ['needs', 'resources', 'projects'] as const;
export type ListName = (typeof LISTS)[number];
export const LIST_KINDS: Record<ListName, ItemKind[]> = {
  needs: ['need', 'wish'],
  resources: ['resource'],
  projects: ['project', 'task'],
};

/** A micro-wish waits for the community's review before anyone else sees it. */
export const ITEM_STATUSES = ['pending_review', 'open', 'rejected', 'closed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const CLAIM_STATUSES = [
  'claimed',
  'in_progress',
  'delivered',
  'confirmed',
  'withdrawn',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Who claims: units (through a representative) claim projects; members claim the rest. */
export type Claimant = 'unit' | 'member';
export function claimantFor(kind: ItemKind): Claimant | null {
  if (kind === 'project') return 'unit';
  if (kind === 'task' || kind === 'wish' || kind === 'need') return 'member';
  return null; // resources are offered, not claimed
}

/** What judging a claim needs to know: the item, the person, and the live claims on it. */
export interface ClaimFacts {
  item: {
    kind: ItemKind;
    status: ItemStatus;
    postedBy: string;
    activeClaims: number;
    quota: number;
  };
  actor: {
    userId: string;
    /** Units the person represents in the item's community. */
    units: readonly string[];
    /** Those of `units` that have reported to it. */
    reportedUnits: readonly string[];
    /** A confirmed member report to the item's community. */
    memberReported: boolean;
  };
  /** The item's claims that are not withdrawn. */
  liveClaims: ReadonlyArray<{ unitId: string | null; userId: string }>;
}

/** The reasons a claim is refused, in the order they are judged. */
export const CLAIM_REFUSALS = [
  'not_claimable',
  'own_item',
  'item_not_open',
  'unit_required',
  'not_your_unit',
  'unit_not_reported',
  'unit_not_claimant',
  'not_reported',
  'already_claimed',
  'claim_full',
] as const;
export type ClaimRefusal = (typeof CLAIM_REFUSALS)[number];

/**
 * May this person claim the item, for `unitId` (a unit they represent) or themselves (null)?
 * The one copy of the rule: the server judges with it before and again under the item's
 * lock, and the item page asks it (through `claimBlocker`) whether to offer the button.
 */
export function judgeClaim(facts: ClaimFacts, unitId: string | null): ClaimRefusal | null {
  const { item, actor } = facts;
  const claimant = claimantFor(item.kind);
  if (!claimant) return 'not_claimable';
  if (item.postedBy === actor.userId) return 'own_item';
  if (item.status !== 'open') return 'item_not_open';
  if (claimant === 'unit') {
    if (!unitId) return 'unit_required';
    if (!actor.units.includes(unitId)) return 'not_your_unit';
    if (!actor.reportedUnits.includes(unitId)) return 'unit_not_reported';
  } else {
    if (unitId) return 'unit_not_claimant';
    if (!actor.memberReported) return 'not_reported';
  }
  const holds = facts.liveClaims.some((c) =>
    unitId ? c.unitId === unitId : c.unitId === null && c.userId === actor.userId,
  );
  if (holds) return 'already_claimed';
  if (item.activeClaims >= item.quota) return 'claim_full';
  return null;
}

/** Why the item page offers no claim button (its ItemView.claimBlocker), null when one tap will do. */
export const CLAIM_BLOCKERS = [
  'not_claimable',
  'full',
  'closed',
  'already_claimed',
  'not_reported',
  'not_unit_rep',
  // The viewer posted it (their own wish): the page shows where it stands instead.
  'own_item',
] as const;
export type ClaimBlocker = (typeof CLAIM_BLOCKERS)[number];

const BLOCKER_OF: Record<ClaimRefusal, ClaimBlocker> = {
  not_claimable: 'not_claimable',
  own_item: 'own_item',
  item_not_open: 'closed',
  unit_required: 'not_unit_rep',
  not_your_unit: 'not_unit_rep',
  unit_not_reported: 'not_reported',
  unit_not_claimant: 'not_reported',
  not_reported: 'not_reported',
  already_claimed: 'already_claimed',
  claim_full: 'full',
};

/**
 * `judgeClaim` for every way the person could claim (themselves, or each unit they
 * represent): null when one of them would do, else the refusal that got furthest.
 */
export function claimBlocker(facts: ClaimFacts): ClaimBlocker | null {
  const ways =
    claimantFor(facts.item.kind) === 'unit' && facts.actor.units.length > 0
      ? facts.actor.units
      : [null];
  const refusals = ways.map((unitId) => judgeClaim(facts, unitId));
  if (refusals.includes(null)) return null;
  const furthest = Math.max(...refusals.map((r) => CLAIM_REFUSALS.indexOf(r!)));
  return BLOCKER_OF[CLAIM_REFUSALS[furthest]!];
}

/** Who may post each kind of item. */
export type Poster = 'resident' | 'secretary' | 'unit_rep';
export function posterMayPost(poster: Poster, kind: ItemKind): boolean {
  switch (kind) {
    case 'wish':
      return poster === 'resident' || poster === 'secretary';
    case 'resource':
      return poster === 'unit_rep';
    case 'need':
    case 'project':
    case 'task':
      return poster === 'secretary';
  }
}

/** The moves of a claim, and who makes each: the claimant works, the community confirms. */
export type ClaimMove = 'start' | 'deliver' | 'withdraw' | 'confirm';
const MOVES: Record<ClaimMove, { from: ClaimStatus[]; to: ClaimStatus }> = {
  start: { from: ['claimed'], to: 'in_progress' },
  deliver: { from: ['claimed', 'in_progress'], to: 'delivered' },
  // Once work has started the item is relied upon: it can no longer be dropped silently.
  withdraw: { from: ['claimed'], to: 'withdrawn' },
  confirm: { from: ['delivered'], to: 'confirmed' },
};
export function judgeMove(move: ClaimMove, from: ClaimStatus): ClaimStatus | null {
  return MOVES[move].from.includes(from) ? MOVES[move].to : null;
}

/** Who is asking about a claim: the person, the units they represent there, their office. */
export interface ClaimActor {
  userId: string;
  units: readonly string[];
  secretary: boolean;
}

/** A claim as the move rules see it. */
export interface ClaimFactsOfMove {
  status: ClaimStatus;
  userId: string;
  unitId: string | null;
  itemKind: ItemKind;
  itemPostedBy: string;
}

/** The claimant works on a claim (themselves, or for a unit they represent). */
export function worksOnClaim(claim: ClaimFactsOfMove, actor: ClaimActor): boolean {
  if (claim.unitId) return actor.units.includes(claim.unitId);
  return claim.userId === actor.userId;
}

/** The community confirms a delivery; a micro-wish also the resident who made it. */
export function confirmsClaim(claim: ClaimFactsOfMove, actor: ClaimActor): boolean {
  return actor.secretary || (claim.itemKind === 'wish' && claim.itemPostedBy === actor.userId);
}

/** Why each move is refused when the claim is not where the move starts from. */
const STUCK = {
  start: 'claim_not_fresh',
  deliver: 'claim_not_deliverable',
  withdraw: 'claim_work_started',
  confirm: 'claim_not_delivered',
} as const;

export type ClaimMoveRefusal =
  'not_the_claimant' | 'confirm_by_community' | (typeof STUCK)[ClaimMove];

/**
 * May this person make this move on the claim now? The one copy of the rule: the server
 * judges with it (who, before the lock; the status again under it) and the claim views
 * offer only the buttons it allows.
 */
export function judgeClaimMove(
  move: ClaimMove,
  claim: ClaimFactsOfMove,
  actor: ClaimActor,
): ClaimMoveRefusal | null {
  if (move === 'confirm' ? !confirmsClaim(claim, actor) : !worksOnClaim(claim, actor))
    return move === 'confirm' ? 'confirm_by_community' : 'not_the_claimant';
  return judgeMove(move, claim.status) === null ? STUCK[move] : null;
}

/** A claim is overdue when its item's deadline passed before it was delivered. */
export function isOverdue(
  status: ClaimStatus,
  dueAt: Date | string | null,
  now = new Date(),
): boolean {
  if (!dueAt || (status !== 'claimed' && status !== 'in_progress')) return false;
  return new Date(dueAt).getTime() < now.getTime();
}

/** Share of claims that reached a confirmed delivery, of those not withdrawn; null if none. */
export function fulfilmentRate(statuses: readonly ClaimStatus[]): number | null {
  const counted = statuses.filter((s) => s !== 'withdrawn');
  if (counted.length === 0) return null;
  return counted.filter((s) => s === 'confirmed').length / counted.length;
}
