import { sql } from 'kysely';
import type { ProblemCategory, ProblemOwnerKind } from '@tongxin/shared/problems/problems';
import type { DbOrTx } from '../create-db.ts';

/** A community's routes, one per category that has one, with the owner's name. */
export function routesOf(db: DbOrTx, communityId: string) {
  return db
    .selectFrom('problemRoutes as r')
    .leftJoin('units as u', 'u.id', 'r.unitId')
    .leftJoin('teams as t', 't.id', 'r.teamId')
    .select([
      'r.category',
      'r.ownerKind',
      'r.unitId',
      'r.teamId',
      'r.respondHours',
      'r.resolveDays',
      'u.name as unitName',
      't.name as teamName',
    ])
    .where('r.communityId', '=', communityId)
    .execute();
}

/** The route a new report of this category follows, if the community set one. */
export function routeOf(db: DbOrTx, communityId: string, category: ProblemCategory) {
  return db
    .selectFrom('problemRoutes')
    .select(['ownerKind', 'unitId', 'teamId', 'respondHours', 'resolveDays'])
    .where('communityId', '=', communityId)
    .where('category', '=', category)
    .executeTakeFirst();
}

export type ProblemRoute = NonNullable<Awaited<ReturnType<typeof routeOf>>>;

/** The owner columns of a report routed by this route (none: its grid). */
export const ownerOfRoute = (route: ProblemRoute | undefined) => ({
  ownerUnitId: route?.unitId ?? null,
  ownerTeamId: route?.teamId ?? null,
});

/** The units that reported to the community (双报到) and its service teams: where a route may go. */
export async function routeChoices(db: DbOrTx, communityId: string) {
  const [units, teams] = await Promise.all([
    db
      .selectFrom('unitReports as r')
      .innerJoin('units as u', 'u.id', 'r.unitId')
      .select(['u.id', 'u.name'])
      .where('r.communityId', '=', communityId)
      .orderBy('u.name')
      .execute(),
    db
      .selectFrom('teams')
      .select(['id', 'name'])
      .where('communityId', '=', communityId)
      .orderBy('name')
      .execute(),
  ]);
  return { units, teams };
}

export interface NewRoute {
  communityId: string;
  category: ProblemCategory;
  ownerKind: ProblemOwnerKind;
  unitId: string | null;
  teamId: string | null;
  respondHours: number | null;
  resolveDays: number | null;
  setBy: string;
}

/** Sets a category's route (one statement: two secretaries at once, the last one stands). */
export async function upsertRoute(db: DbOrTx, route: NewRoute): Promise<void> {
  await db
    .insertInto('problemRoutes')
    .values(route)
    .onConflict((oc) =>
      oc.columns(['communityId', 'category']).doUpdateSet({
        ownerKind: route.ownerKind,
        unitId: route.unitId,
        teamId: route.teamId,
        respondHours: route.respondHours,
        resolveDays: route.resolveDays,
        setBy: route.setBy,
        updatedAt: sql`now()`,
      }),
    )
    .execute();
}

/** Back to the default (the grid worker, the default time limits); whether there was one. */
export async function deleteRoute(
  db: DbOrTx,
  communityId: string,
  category: ProblemCategory,
): Promise<boolean> {
  const result = await db
    .deleteFrom('problemRoutes')
    .where('communityId', '=', communityId)
    .where('category', '=', category)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The people who answer for a unit's or team's reports: its representatives, its leaders. */
export async function ownerPeople(
  db: DbOrTx,
  owner: { ownerUnitId: string | null; ownerTeamId: string | null },
): Promise<string[]> {
  if (owner.ownerUnitId) {
    const rows = await db
      .selectFrom('roleAssignments')
      .select('userId')
      .distinct()
      .where('role', '=', 'unit_rep')
      .where('unitId', '=', owner.ownerUnitId)
      .execute();
    return rows.map((r) => r.userId);
  }
  if (owner.ownerTeamId) {
    const rows = await db
      .selectFrom('teamMembers')
      .select('userId')
      .where('teamId', '=', owner.ownerTeamId)
      .where('role', '=', 'leader')
      .where('status', '=', 'active')
      .execute();
    return rows.map((r) => r.userId);
  }
  return [];
}
