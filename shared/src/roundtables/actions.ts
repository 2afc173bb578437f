import type { Part, Stage } from './stages.ts';

/** Everything a person can do in a roundtable. */
export const ACTIONS = [
  'raise_topic',
  'cosign_topic',
  'screen_topic',
  'advance_stage',
  'configure',
  'attend',
  'mark_present',
  'set_current_topic',
  'raise_hand',
  'give_floor',
  'edit_minutes',
  'propose_solution',
  'open_vote',
  'cast_vote',
  'record_show_of_hands',
  'close_vote',
  'record_resolution',
  'defer_topic',
  'assign_action_item',
  'post_progress',
  'rate_item',
  'amend_minutes',
  'open_amendment',
  'end_amendment',
  'approve_minutes',
  'hand_on_item',
] as const;
export type Action = (typeof ACTIONS)[number];

const CHAIR_ONLY: ReadonlySet<Action> = new Set([
  'screen_topic',
  'advance_stage',
  'configure',
  'mark_present',
  'set_current_topic',
  'give_floor',
  'open_vote',
  'record_show_of_hands',
  'close_vote',
  'record_resolution',
  'defer_topic',
  'assign_action_item',
  'open_amendment',
  'end_amendment',
  'approve_minutes',
  'hand_on_item',
]);

/** Only the chair may do it (open a vote, move the stage …). */
export function isChairOnly(action: Action): boolean {
  return CHAIR_ONLY.has(action);
}

/** The stages in which each action makes sense. */
const STAGES_OF: Record<Action, readonly Stage[]> = {
  raise_topic: ['raise', 'discuss'],
  cosign_topic: ['raise', 'discuss'],
  screen_topic: ['raise', 'discuss'],
  advance_stage: ['raise', 'discuss', 'act', 'review'],
  configure: ['raise', 'discuss', 'act', 'review'],
  attend: ['discuss'],
  mark_present: ['discuss'],
  set_current_topic: ['discuss'],
  raise_hand: ['discuss'],
  give_floor: ['discuss'],
  edit_minutes: ['discuss'],
  propose_solution: ['discuss'],
  open_vote: ['discuss'],
  cast_vote: ['discuss'],
  record_show_of_hands: ['discuss'],
  close_vote: ['discuss'],
  record_resolution: ['discuss'],
  defer_topic: ['discuss'],
  assign_action_item: ['discuss', 'act'],
  post_progress: ['act', 'review'],
  rate_item: ['act', 'review'],
  amend_minutes: ['act', 'review'],
  open_amendment: ['review'],
  end_amendment: ['review'],
  approve_minutes: ['review'],
  // 办事 handed on (handoff.ts): a project for units or a team's activity.
  hand_on_item: ['discuss', 'act', 'review'],
};

export interface Permissions {
  /** The chair lets every participant write the minutes, not only scribes. */
  openMinutes: boolean;
  /** The chair gave this guest the floor: guests may then raise a hand and speak. */
  guestMaySpeak: boolean;
}

function partAllows(part: Part, action: Action, permissions: Permissions): boolean {
  if (part === 'chair') return true;
  if (CHAIR_ONLY.has(action)) return false;
  if (part === 'observer') return false;
  if (part === 'guest')
    return action === 'attend' || (action === 'raise_hand' && permissions.guestMaySpeak);
  if (action === 'edit_minutes') return part === 'scribe' || permissions.openMinutes;
  return true;
}

/** May this person do this now? The server enforces it; the pages show only what is allowed. */
export function mayDo(stage: Stage, part: Part, action: Action, permissions: Permissions): boolean {
  return STAGES_OF[action].includes(stage) && partAllows(part, action, permissions);
}

export function allowedActions(stage: Stage, part: Part, permissions: Permissions): Action[] {
  return ACTIONS.filter((a) => mayDo(stage, part, a, permissions));
}
