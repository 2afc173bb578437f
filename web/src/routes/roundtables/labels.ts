import type { Stage, ActionItemStatus } from '@tongxin/shared/roundtables/stages';
import type { TopicCategory } from '@tongxin/shared/roundtables/topics';
import type { HandoffState } from '@tongxin/shared/roundtables/handoff';
import { m } from '$lib/paraglide/messages';

export const STAGE_NAMES: Record<Stage, () => string> = {
  raise: m.rt_stage_raise,
  discuss: m.rt_stage_discuss,
  act: m.rt_stage_act,
  review: m.rt_stage_review,
  closed: m.rt_stage_closed,
};

const CATEGORY_NAMES: Record<TopicCategory, () => string> = {
  parking: m.rt_cat_parking,
  ebike_charging: m.rt_cat_ebike_charging,
  stray_animals: m.rt_cat_stray_animals,
  rubbish_sorting: m.rt_cat_rubbish_sorting,
  renovation: m.rt_cat_renovation,
  property_fees: m.rt_cat_property_fees,
  safety: m.rt_cat_safety,
  environment: m.rt_cat_environment,
  elder_care: m.rt_cat_elder_care,
  other: m.rt_cat_other,
};
export const categoryName = (c: TopicCategory) => CATEGORY_NAMES[c]();

const ITEM_STATUS: Record<ActionItemStatus, () => string> = {
  pending: m.rt_item_pending,
  in_progress: m.rt_item_in_progress,
  blocked: m.rt_item_blocked,
  done: m.rt_item_done,
};
export const itemStatusName = (s: ActionItemStatus) => ITEM_STATUS[s]();

const CHOICES: Record<string, () => string> = {
  support: m.rt_vote_support,
  oppose: m.rt_vote_oppose,
  abstain: m.rt_vote_abstain,
};
/** A vote option in the reader's language: a proposal's own words, or 赞成/反对/弃权. */
export const optionLabel = (o: { key: string; label: string }) => CHOICES[o.key]?.() ?? o.label;

/** Seconds the speaker has left (negative once over), from the published start. */
export function secondsLeft(since: string, limit: number, now: number): number {
  return limit - Math.floor((now - new Date(since).getTime()) / 1000);
}

/** mm:ss of a number of seconds, without a sign: an overrun is worded, never negative. */
export function clock(seconds: number): string {
  const s = Math.abs(seconds);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** The speaker's timer as read aloud: "02:15" left, or "超时 00:46" once over. */
export const timerText = (left: number) =>
  left < 0 ? m.rt_timer_over({ time: clock(left) }) : clock(left);

const HANDOFF_STATE: Record<HandoffState, () => string> = {
  open: m.ho_state_open,
  claimed: m.ho_state_claimed,
  in_progress: m.ho_state_in_progress,
  delivered: m.ho_state_delivered,
  confirmed: m.ho_state_confirmed,
  scheduled: m.ho_state_scheduled,
  completed: m.ho_state_completed,
  cancelled: m.ho_state_cancelled,
};
/** The linked project's or activity's state, as the item shows it. */
export const handoffStateName = (s: HandoffState) => HANDOFF_STATE[s]();
