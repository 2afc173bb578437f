import type { PlaceKind, Role } from '@tongxin/shared/roles';
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
