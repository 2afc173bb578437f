import { m } from '$lib/paraglide/messages';
import type { problemsRefusals } from '@tongxin/shared/problems/refusals';
import type { RefusalWords } from './words';

/** The problem reports' refusals in words (shared/messages/problems). */
export const problemsWords: RefusalWords<typeof problemsRefusals> = {
  place_not_in_community: m.rf_place_not_in_community,
  not_problem_handler: m.rf_not_problem_handler,
  not_problem_follower: m.rf_not_problem_follower,
  problem_already_answered: m.rf_problem_already_answered,
  problem_moved_on: m.rf_problem_moved_on,
  merge_target_invalid: m.rf_merge_target_invalid,
  problem_already_raised: m.rf_problem_already_raised,
  problem_closed: m.rf_problem_closed,
  problem_merged: m.rf_problem_merged,
  roundtable_not_taking_topics: m.rf_roundtable_not_taking_topics,
  roundtable_not_in_community: m.rf_roundtable_not_in_community,
  not_community_secretary: m.rf_not_community_secretary,
  route_owner_invalid: m.rf_route_owner_invalid,
};
