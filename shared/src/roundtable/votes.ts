/** One vote per eligible person; a person without a phone is counted by the chair instead. */
export const VOTE_CHOICES = ['support', 'oppose', 'abstain'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

export interface VoteTally {
  support: number;
  oppose: number;
  abstain: number;
  total: number;
}

export function tallyVotes(choices: readonly VoteChoice[]): VoteTally {
  const tally: VoteTally = { support: 0, oppose: 0, abstain: 0, total: 0 };
  for (const c of choices) {
    tally[c]++;
    tally.total++;
  }
  return tally;
}

/** The quorum counts everyone present, in the room or on a phone, each person once. */
export function quorumMet(presentCount: number, quorum: number | null): boolean {
  return quorum === null || presentCount >= quorum;
}

/** Passed: more support than opposition among those who did not abstain, with a quorum. */
export function votePassed(tally: VoteTally, presentCount: number, quorum: number | null): boolean {
  return quorumMet(presentCount, quorum) && tally.support > tally.oppose;
}

/** What the projector shows while a vote is open: the live tally, or only that voting goes on. */
export function visibleTally(
  tally: VoteTally,
  open: boolean,
  hiddenUntilClose: boolean,
): VoteTally | 'voting' {
  return open && hiddenUntilClose ? 'voting' : tally;
}
