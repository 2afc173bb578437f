import { m } from '$lib/paraglide/messages';
import type { roundtableRefusals } from '@tongxin/shared/roundtable/refusals';
import type { RefusalWords } from './words';

/** The roundtable's refusals in words (shared/messages/roundtable). */
export const roundtableWords: RefusalWords<typeof roundtableRefusals> = {
  not_in_this_stage: m.rf_not_in_this_stage,
  topic_not_on_agenda: m.rf_topic_not_on_agenda,
  vote_already_open: m.rf_vote_already_open,
  below_quorum: m.rf_below_quorum,
  too_few_proposals: m.rf_too_few_proposals,
  ballot_needs_choice: m.rf_ballot_needs_choice,
  ballot_needs_proposal: m.rf_ballot_needs_proposal,
  proposal_not_in_vote: m.rf_proposal_not_in_vote,
  vote_closed: m.rf_vote_closed,
  already_voted: m.rf_already_voted,
  hands_unknown_option: m.rf_hands_unknown_option,
  too_many_hands: m.rf_too_many_hands,
  resolution_not_on_agenda: m.rf_resolution_not_on_agenda,
  resolution_vote_not_closed: m.rf_resolution_vote_not_closed,
  already_resolved: m.rf_already_resolved,
  topic_not_deferrable: m.rf_topic_not_deferrable,
  wrong_checkin_code: m.rf_wrong_checkin_code,
  current_topic_not_on_agenda: m.rf_current_topic_not_on_agenda,
  vote_still_open: m.rf_vote_still_open,
  speaker_not_present: m.rf_speaker_not_present,
  proposal_not_on_agenda: m.rf_proposal_not_on_agenda,
  not_a_community: m.rf_not_a_community,
  not_chair: m.rf_not_chair,
  roundtable_closed: m.rf_roundtable_closed,
  no_agenda: m.rf_no_agenda,
  topics_unresolved: m.rf_topics_unresolved,
  no_action_items: m.rf_no_action_items,
  items_not_done: m.rf_items_not_done,
  minutes_not_approved: m.rf_minutes_not_approved,
};
