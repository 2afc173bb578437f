import type { ActionItemStatus } from './stages.ts';

/**
 * How an action item (办事) moves. `reopened` is the review stage sending it back after a
 * dissatisfied rating; `blocked` always needs a reason the residents can read.
 */
const MOVES: Record<ActionItemStatus, readonly ActionItemStatus[]> = {
  pending: ['in_progress', 'blocked', 'done'],
  in_progress: ['blocked', 'done'],
  blocked: ['in_progress'],
  done: ['in_progress'],
};

export function canMoveItem(from: ActionItemStatus, to: ActionItemStatus): boolean {
  return MOVES[from].includes(to);
}

export const RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

export interface RatingTally {
  satisfied: number;
  basically_satisfied: number;
  dissatisfied: number;
}

export function tallyRatings(ratings: readonly Rating[]): RatingTally {
  const tally: RatingTally = { satisfied: 0, basically_satisfied: 0, dissatisfied: 0 };
  for (const r of ratings) tally[r]++;
  return tally;
}

/**
 * 评事: a done item goes back to 办事 when the share of 不满意 reaches the threshold the
 * community chose (default: more than half). Nobody rating yet sends nothing back.
 */
export function reviewOutcome(
  tally: RatingTally,
  threshold = 0.5,
  minRatings = 1,
): 'accepted' | 'reopen' | 'awaiting' {
  const total = tally.satisfied + tally.basically_satisfied + tally.dissatisfied;
  if (total === 0 || total < minRatings) return 'awaiting';
  return tally.dissatisfied / total > threshold ? 'reopen' : 'accepted';
}

/** One early 不满意 does not send an item back: the room decides once this many have rated. */
export const RATINGS_TO_DECIDE = 3;

/** 满意率 as residents see it published: satisfied and basically satisfied over all ratings. */
export function satisfactionRate(tally: RatingTally): number | null {
  const total = tally.satisfied + tally.basically_satisfied + tally.dissatisfied;
  return total === 0 ? null : (tally.satisfied + tally.basically_satisfied) / total;
}
