import { defineRefusals, withParams } from '../refusal.ts';

/** Why a roundtable command says no. Words: shared/messages/roundtables/<locale>.json, rf_<code>. */
export const roundtableRefusals = defineRefusals({
  /** The verb exists for this person, but not in the meeting's current stage. */
  not_in_this_stage: 409,
  /** Votes are on agenda topics only. */
  topic_not_on_agenda: 409,
  vote_already_open: 409,
  below_quorum: withParams<{ present: number; quorum: number }>(409),
  /** A choice between proposals needs at least two. */
  too_few_proposals: 409,
  // Votes, ballots and resolutions (votes.commands.ts).
  /** A yes/no vote takes support, oppose or abstain, not a proposal. */
  ballot_needs_choice: 400,
  /** A choice vote takes one of its topic's proposals. */
  ballot_needs_proposal: 400,
  proposal_not_in_vote: 400,
  /** The vote closed before this ballot, show of hands or close reached it. */
  vote_closed: 409,
  already_voted: 409,
  /** The counts name an option the vote does not have. */
  hands_unknown_option: 400,
  /** More hands than people marked present without a phone. */
  too_many_hands: withParams<{ hands: number; present: number }>(409),
  resolution_not_on_agenda: 409,
  /** A resolution may cite only a closed vote on its own topic. */
  resolution_vote_not_closed: 409,
  already_resolved: 409,
  /** Deferring is for agenda topics without a resolution. */
  topic_not_deferrable: 409,
  // The live meeting (floor.commands.ts).
  wrong_checkin_code: 400,
  current_topic_not_on_agenda: 409,
  /** Moving on (to another topic, or the next stage) waits for the open vote to close. */
  vote_still_open: 409,
  speaker_not_present: 409,
  proposal_not_on_agenda: 409,
  // Convening and the stage machine (roundtables.commands.ts, stages.ts).
  /** A roundtable belongs to a community or a compound. */
  not_a_community: 400,
  not_chair: 403,
  roundtable_closed: 409,
  no_agenda: 409,
  topics_unresolved: 409,
  no_action_items: 409,
  items_not_done: 409,
  minutes_not_approved: 409,
  // Topics: raise, co-sign, screen, agenda order.
  /** Whoever raised a topic does not co-sign it. */
  own_topic: 409,
  already_cosigned: 409,
  /** Declined or merged topics take no more co-signatures. */
  topic_not_open: 409,
  decline_reason_missing: 400,
  merge_target_missing: 400,
  topic_already_screened: 409,
  /** Merged into itself, another table's topic, or one already closed. */
  merge_target_unusable: 409,
  /** The reorder does not list exactly the agenda topics there are now. */
  agenda_changed: 409,
  // Photos attached to a post.
  photo_missing: 400,
  photo_not_yours: 403,
  photo_already_attached: 409,
  // Action items (办事, 评事).
  no_resolution_yet: 409,
  owner_not_eligible: 400,
  /** Progress is posted by whoever answers for the item, or the chair. */
  not_owner: 403,
  blocked_reason_missing: 400,
  item_move_not_allowed: 409,
  item_not_done: 409,
  already_rated: 409,
  // Minutes.
  minutes_already_approved: 409,
  no_amendment_running: 409,
  amendment_not_opened: 409,
  /** `until`: the end of the period, China time (YYYY-MM-DD HH:mm). */
  amendment_running: withParams<{ until: string }>(409),
  // Guests (访客).
  not_a_guest: 404,
  already_signed_in: 409,
  guest_name_missing: 400,
  guest_link_invalid: 403,
  guest_join_closed: 409,
  guests_full: withParams<{ max: number }>(409),
  // Photo uploads.
  guest_no_photos: 403,
  photo_too_large: withParams<{ mb: number }>(413),
  photo_type_unsupported: 415,
  photo_not_a_file: 400,
  photo_empty: 400,
  photo_type_mismatch: withParams<{ type: string }>(400),
  too_many_unused_photos: withParams<{ max: number }>(409),
  // 办事 handed on as a project or an activity (handoff.ts).
  item_already_handed_on: 409,
  item_already_done: 409,
  person_item_not_handed_on: 409,
  handoff_needs_unit_owner: 409,
  handoff_needs_team_owner: 409,
});
