/** Roles a person can hold; each is scoped to a place, a unit or (later) a team. */
export const ROLES = [
  'resident',
  'secretary',
  'scribe',
  'volunteer',
  'team_leader',
  'unit_rep',
  'party_member',
  'organiser',
  /** 网格员: answers the problem reports of one grid. */
  'grid_worker',
] as const;
export type Role = (typeof ROLES)[number];

export const PLACE_KINDS = [
  'district',
  'subdistrict',
  'community',
  'compound',
  'building',
  'grid',
] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/** Which place kinds a child may sit under: the hierarchy the database also enforces. */
export const PLACE_PARENT: Record<PlaceKind, PlaceKind | null> = {
  district: null,
  subdistrict: 'district',
  community: 'subdistrict',
  compound: 'community',
  building: 'compound',
  grid: 'community',
};

export const UNIT_KINDS = [
  'agency',
  'enterprise',
  'institution',
  'property_company',
  'owners_committee',
  'other',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Roles a secretary may hand out by invitation within their place. */
export const INVITABLE_BY_SECRETARY: readonly Role[] = [
  'resident',
  'secretary',
  'scribe',
  'volunteer',
  'team_leader',
  'unit_rep',
  'party_member',
  'grid_worker',
];

/** Roles whose scope is a unit rather than a place. */
export const UNIT_SCOPED_ROLES: readonly Role[] = ['unit_rep'];
