import type { PlaceKind, Role } from '@tongxin/shared/roles';
import {
  isWaiting,
  type ProblemCategory,
  type ProblemStatus,
} from '@tongxin/shared/problems/problems';
import type { Rating } from '@tongxin/shared/roundtables/action-items';
import { m } from '$lib/paraglide/messages';

/** Role names as people say them, in the language on screen. */
const roleNames: Record<Role, () => string> = {
  resident: m.role_resident,
  secretary: m.role_secretary,
  scribe: m.role_scribe,
  volunteer: m.role_volunteer,
  team_leader: m.role_team_leader,
  unit_rep: m.role_unit_rep,
  party_member: m.role_party_member,
  organiser: m.role_organiser,
  grid_worker: m.role_grid_worker,
};

const placeKindNames: Record<PlaceKind, () => string> = {
  district: m.place_district,
  subdistrict: m.place_subdistrict,
  community: m.place_community,
  compound: m.place_compound,
  building: m.place_building,
  grid: m.place_grid,
};

export const roleName = (role: Role) => roleNames[role]();
export const placeKindName = (kind: PlaceKind) => placeKindNames[kind]();

const problemCategoryNames: Record<ProblemCategory, () => string> = {
  parking: m.pb_cat_parking,
  ebike_charging: m.pb_cat_ebike_charging,
  rubbish: m.pb_cat_rubbish,
  stray_animals: m.pb_cat_stray_animals,
  broken_facility: m.pb_cat_broken_facility,
  safety_hazard: m.pb_cat_safety_hazard,
  other: m.pb_cat_other,
};

const problemStatusNames: Record<ProblemStatus, () => string> = {
  submitted: m.pb_st_submitted,
  accepted: m.pb_st_accepted,
  declined: m.pb_st_declined,
  in_hand: m.pb_st_in_hand,
  resolved: m.pb_st_resolved,
  confirmed: m.pb_st_confirmed,
  merged: m.pb_st_merged,
};

/** A problem category's name; '' for a code this build does not know. */
export const problemCategoryName = (category: string | undefined) =>
  problemCategoryNames[category as ProblemCategory]?.() ?? '';
export const problemStatusName = (status: ProblemStatus) => problemStatusNames[status]();

/**
 * A report's state in words: while it sits at a roundtable and is still open, the roundtable
 * deals with it (圆桌会议办理中), whatever its own status, whose deadlines stopped when raised.
 */
export const problemStateName = (p: { status: ProblemStatus; raised: unknown }) =>
  p.raised && isWaiting(p.status) ? m.pb_st_at_roundtable() : problemStatusName(p.status);

const ratingNames: Record<Rating, () => string> = {
  satisfied: m.rt_rate_satisfied,
  basically_satisfied: m.rt_rate_basically,
  dissatisfied: m.rt_rate_dissatisfied,
};

/** 满意 / 基本满意 / 不满意, for an action item or a problem report. */
export const ratingName = (rating: Rating) => ratingNames[rating]();
