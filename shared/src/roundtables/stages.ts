import type { roundtableRefusals } from './refusals.ts';

/**
 * The roundtable's four stages (规范提事、议事、办事、评事), then closed. Pure rules, shared by
 * the server (which enforces them) and the pages (which show only what the viewer may do).
 */
export const STAGES = ['raise', 'discuss', 'act', 'review', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

/** A person's part in one roundtable, decided by the server from their roles. */
export const PARTS = ['chair', 'scribe', 'participant', 'guest', 'observer'] as const;
export type Part = (typeof PARTS)[number];

export const ACTION_ITEM_STATUSES = ['pending', 'in_progress', 'blocked', 'done'] as const;
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];

/** What the stage machine needs to know about a roundtable to judge a move. */
export interface RoundtableFacts {
  stage: Stage;
  /** Topics accepted onto the agenda. */
  agendaTopics: { id: string; resolved: boolean; deferred: boolean }[];
  voteOpen: boolean;
  actionItems: { id: string; status: ActionItemStatus }[];
  minutesApproved: boolean;
}

/** A code of the roundtable's refusals (shared/src/roundtables/refusals.ts). */
type Code<C extends keyof typeof roundtableRefusals> = C;

/** Why a move is not allowed now: a refusal code, worded in shared/messages/roundtables. */
export type Refusal = Code<
  | 'not_chair'
  | 'roundtable_closed'
  | 'no_agenda'
  | 'vote_still_open'
  | 'topics_unresolved'
  | 'no_action_items'
  | 'items_not_done'
  | 'minutes_not_approved'
>;

export type Verdict = { ok: true; next: Stage } | { ok: false; refusal: Refusal };

const FORWARD: Record<Stage, Stage | null> = {
  raise: 'discuss',
  discuss: 'act',
  act: 'review',
  review: 'closed',
  closed: null,
};

export function nextStage(stage: Stage): Stage | null {
  return FORWARD[stage];
}

/** What must be true before the chair moves the roundtable on from its current stage. */
function requirementsFor(facts: RoundtableFacts): Refusal | null {
  switch (facts.stage) {
    case 'raise':
      return facts.agendaTopics.length === 0 ? 'no_agenda' : null;
    case 'discuss':
      if (facts.voteOpen) return 'vote_still_open';
      if (facts.agendaTopics.some((t) => !t.resolved && !t.deferred)) return 'topics_unresolved';
      return null;
    case 'act':
      if (facts.actionItems.length === 0) return 'no_action_items';
      return facts.actionItems.every((i) => i.status === 'done') ? null : 'items_not_done';
    case 'review':
      // An item sent back to 办事 by its ratings must be done again before the table closes.
      if (facts.actionItems.some((i) => i.status !== 'done')) return 'items_not_done';
      return facts.minutesApproved ? null : 'minutes_not_approved';
    case 'closed':
      return 'roundtable_closed';
  }
}

/** May `part` move this roundtable to its next stage now? */
export function judgeAdvance(facts: RoundtableFacts, part: Part): Verdict {
  if (facts.stage === 'closed') return { ok: false, refusal: 'roundtable_closed' };
  if (part !== 'chair') return { ok: false, refusal: 'not_chair' };
  const refusal = requirementsFor(facts);
  if (refusal) return { ok: false, refusal };
  return { ok: true, next: FORWARD[facts.stage]! };
}
