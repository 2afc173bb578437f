import { defineRefusals } from '../refusal.ts';

/** Why a problem-report command says no. Words: shared/messages/problems/<locale>.json. */
export const problemsRefusals = defineRefusals({
  /** The place chosen is not a compound or building of the report's community. */
  place_not_in_community: 400,
  /** Only the grid's worker or the community's secretary answers a report. */
  not_problem_handler: 403,
  /** Only the reporters confirm or reopen. */
  not_problem_follower: 403,
  /** Someone else answered first (two grid workers, one report). */
  problem_already_answered: 409,
  /** The report is not in a state where this verb applies. */
  problem_moved_on: 409,
  /** A report cannot be merged into itself, or into one that is closed or elsewhere. */
  merge_target_invalid: 409,
  /** The report already became a roundtable topic (a report maps to one topic at most). */
  problem_already_raised: 409,
  /** A report turned down, resolved or confirmed is not raised to a roundtable. */
  problem_closed: 409,
  /** A duplicate merged into another report: raise the one it joined. */
  problem_merged: 409,
  /** The roundtable chosen is not taking topics now (past 提事/议事, or closed). */
  roundtable_not_taking_topics: 409,
  /** The roundtable chosen is not one of the report's community (or a compound of it). */
  roundtable_not_in_community: 400,
  /** Only a secretary of the community sets who receives which category. */
  not_community_secretary: 403,
  /** A route names a unit that has not reported to the community, or another's team. */
  route_owner_invalid: 400,
});
