import { m } from '$lib/paraglide/messages';
import type { teamsRefusals } from '@tongxin/shared/teams/refusals';
import type { RefusalWords } from './words';

/** The teams refusals in words (shared/messages/teams). */
export const teamsWords: RefusalWords<typeof teamsRefusals> = {
  not_team_manager: m.rf_not_team_manager,
  members_only: m.rf_members_only,
  not_your_signup: m.rf_not_your_signup,
  team_not_in_community: m.rf_team_not_in_community,
  members_only_needs_team: m.rf_members_only_needs_team,
  custom_kind_mismatch: m.rf_custom_kind_mismatch,
  leader_not_in_community: m.rf_leader_not_in_community,
  ends_before_start: m.rf_ends_before_start,
  team_name_taken: m.rf_team_name_taken,
  already_in_team: m.rf_already_in_team,
  sole_leader: m.rf_sole_leader,
  no_pending_request: m.rf_no_pending_request,
  signup_closed: m.rf_signup_closed,
  already_signed_up: m.rf_already_signed_up,
  signup_already_cancelled: m.rf_signup_already_cancelled,
  activity_cancelled: m.rf_activity_cancelled,
  capacity_below_confirmed: m.rf_capacity_below_confirmed,
  service_day_ended: m.rf_service_day_ended,
  unknown_checkin_code: m.rf_unknown_checkin_code,
  checkin_closed: m.rf_checkin_closed,
  not_signed_up: m.rf_not_signed_up,
  no_place_held: m.rf_no_place_held,
  not_checked_in: m.rf_not_checked_in,
  hours_before_start: m.rf_hours_before_start,
  out_of_stock: m.rf_out_of_stock,
  not_enough_points: m.rf_not_enough_points,
  already_handed_over: m.rf_already_handed_over,
  activity_not_handed_on: m.rf_activity_not_handed_on,
  activity_already_completed: m.rf_activity_already_completed,
  activity_not_started: m.rf_activity_not_started,
};
