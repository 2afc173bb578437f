import { Type, type Static } from 'typebox';
import { PlaceRef, RoleSchema, UnitRef } from './auth.schemas.ts';

const strict = { additionalProperties: false } as const;

/** The people page's filters: a role, words in a name, and a page of at most 100. */
export const PeopleQuery = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|100)$' })),
    offset: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,5})$' })),
  },
  strict,
);
export type PeopleQuery = Static<typeof PeopleQuery>;

/** One role one person holds at a place (or for a unit) in the secretary's area. */
export const PersonRoleView = Type.Object({
  id: Type.String(),
  user: Type.Object({ id: Type.String(), displayName: Type.String(), username: Type.String() }),
  role: RoleSchema,
  place: PlaceRef,
  unit: Type.Union([UnitRef, Type.Null()]),
  since: Type.String(),
  /** Whether the viewer may revoke it (not their own, not an organiser's unless they are one). */
  revocable: Type.Boolean(),
});
export type PersonRoleView = Static<typeof PersonRoleView>;

export const PeoplePage = Type.Object({
  total: Type.Integer(),
  items: Type.Array(PersonRoleView),
});
export type PeoplePage = Static<typeof PeoplePage>;
