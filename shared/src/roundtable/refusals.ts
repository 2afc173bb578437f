import { defineRefusals, withParams } from '../refusal.ts';

/** Why a roundtable command says no. Words: shared/messages/roundtable/<locale>.json, rf_<code>. */
export const roundtableRefusals = defineRefusals({
  /** The verb exists for this person, but not in the meeting's current stage. */
  not_in_this_stage: 409,
  /** Votes are on agenda topics only. */
  topic_not_on_agenda: 409,
  vote_already_open: 409,
  below_quorum: withParams<{ present: number; quorum: number }>(409),
  /** A choice between proposals needs at least two. */
  too_few_proposals: 409,
});
