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
