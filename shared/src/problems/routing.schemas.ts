import { Type, type Static } from 'typebox';
import { PROBLEM_CATEGORIES, PROBLEM_OWNER_KINDS } from './problems.ts';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);

export const RoutingQuery = Type.Object({ communityId: Id }, strict);
export type RoutingQuery = Static<typeof RoutingQuery>;

/** Who receives a category in a community; ownerId names the unit or team (not for 'grid'). */
export const SetRouteBody = Type.Object(
  {
    communityId: Id,
    category: Type.Enum([...PROBLEM_CATEGORIES]),
    ownerKind: Type.Enum([...PROBLEM_OWNER_KINDS]),
    ownerId: Type.Optional(Id),
    /** The community's own time limits; left out: the defaults. */
    respondHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720 })),
    resolveDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  },
  strict,
);
export type SetRouteBody = Static<typeof SetRouteBody>;

export const ClearRouteBody = Type.Object(
  { communityId: Id, category: Type.Enum([...PROBLEM_CATEGORIES]) },
  strict,
);
export type ClearRouteBody = Static<typeof ClearRouteBody>;

const Owner = Type.Object({ id: Type.String(), name: Type.String() });

export const CategoryRoute = Type.Object({
  category: Type.Enum([...PROBLEM_CATEGORIES]),
  ownerKind: Type.Enum([...PROBLEM_OWNER_KINDS]),
  owner: Nullable(Owner),
  respondHours: Type.Integer(),
  resolveDays: Type.Integer(),
  /** Whether the time limits are the community's own rather than the defaults. */
  ownLimits: Type.Boolean(),
});
export type CategoryRoute = Static<typeof CategoryRoute>;

/** Every category with who receives it, and the units and teams it may go to. */
export const RoutingView = Type.Object({
  communityId: Type.String(),
  routes: Type.Array(CategoryRoute),
  units: Type.Array(Owner),
  teams: Type.Array(Owner),
  /** Whether the viewer (a secretary) may change them. */
  mayEdit: Type.Boolean(),
});
export type RoutingView = Static<typeof RoutingView>;
