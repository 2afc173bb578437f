/** Support / oppose / abstain, or a choice between the topic's proposals. */
export const VOTE_KINDS = ['yes_no', 'choice'] as const;
export type VoteKind = (typeof VOTE_KINDS)[number];

/** One vote per eligible person; a person without a phone is counted by the chair instead. */
export const VOTE_CHOICES = ['support', 'oppose', 'abstain'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

/**
 * The yes/no choices in Chinese, for what the server writes itself (the Markdown 公示). Pages
 * word every option from their messages by its key, never by these words.
 */
export const CHOICE_WORDS_ZH: Record<VoteChoice, string> = {
  support: '赞成',
  oppose: '反对',
  abstain: '弃权',
};

/** An option of a vote: a choice code, or a proposal's id with the proposal's own words. */
export interface VoteOption {
  key: string;
  label: string;
}

/** A vote's options, in order: the three choices, or the topic's proposals. */
export function voteOptions(
  kind: VoteKind,
  proposals: readonly { id: string; text: string }[],
): VoteOption[] {
  return kind === 'yes_no'
    ? VOTE_CHOICES.map((c) => ({ key: c, label: CHOICE_WORDS_ZH[c] }))
    : proposals.map((p) => ({ key: p.id, label: p.text }));
}

export interface VoteCount {
  /** Per option key (a choice code or a proposal id), never per label. */
  tally: Record<string, number>;
  ballots: number;
  hands: number;
  counted: number;
}

/** The tally: phones' ballots plus hands counted in the room, per option key. */
export function tallyOf(
  options: readonly { key: string }[],
  ballots: ReadonlyMap<string, number>,
  hands: ReadonlyMap<string, number>,
): VoteCount {
  const count: VoteCount = { tally: {}, ballots: 0, hands: 0, counted: 0 };
  for (const { key } of options) {
    const b = ballots.get(key) ?? 0;
    const h = hands.get(key) ?? 0;
    count.tally[key] = b + h;
    count.ballots += b;
    count.hands += h;
    count.counted += b + h;
  }
  return count;
}

/** The quorum counts everyone present, in the room or on a phone, each person once. */
export function quorumMet(presentCount: number, quorum: number | null): boolean {
  return quorum === null || presentCount >= quorum;
}
