import { defineRefusals, withParams } from '../refusal.ts';

/** Why a teams command says no. Words: shared/messages/teams/<locale>.json, rf_<code>. */
export const teamsRefusals = defineRefusals({
  // Who may
  /** Keeping a team or an activity is for its leaders and the community's secretary. */
  not_team_manager: 403,
  /** An activity only the team's active members may take. */
  members_only: 403,
  /** A sign-up is cancelled by the person who holds it. */
  not_your_signup: 403,

  // Forms (each names its field)
  team_not_in_community: 400,
  members_only_needs_team: 400,
  custom_kind_mismatch: 400,
  leader_not_in_community: 400,
  ends_before_start: 400,

  // Teams
  team_name_taken: 409,
  already_in_team: 409,
  /** The last leader cannot leave a team without one. */
  sole_leader: 409,
  no_pending_request: 409,

  // Activities and sign-ups
  /** The activity has started or was called off: no sign-ups, no cancelling a place on it. */
  signup_closed: 409,
  already_signed_up: 409,
  signup_already_cancelled: 409,
  activity_cancelled: 409,
  capacity_below_confirmed: withParams<{ confirmed: number }>(409),
  service_day_ended: 409,

  // Check-in and hours
  unknown_checkin_code: 404,
  checkin_closed: 409,
  not_signed_up: 409,
  /** Attendance is kept for people holding a place. */
  no_place_held: 409,
  not_checked_in: 409,
  hours_before_start: withParams<{ startsAt: string }>(409),

  // Points
  out_of_stock: 409,
  not_enough_points: 409,
  already_handed_over: 409,

  // An activity handed on from a roundtable, reported done by its team
  activity_not_handed_on: 409,
  activity_already_completed: 409,
  activity_not_started: 409,
});
