import { sql } from 'kysely';
import type { Role } from '@tongxin/shared';
import type { DbOrTx } from '../create-db.ts';
import type { Place, Unit } from '../database.ts';

export function listPlaces(db: DbOrTx): Promise<Place[]> {
  return db.selectFrom('places').selectAll().orderBy('kind').orderBy('name').execute();
}

export function findPlace(db: DbOrTx, id: string): Promise<Place | undefined> {
  return db.selectFrom('places').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUnit(db: DbOrTx, id: string): Promise<Unit | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The place and every place above it, nearest first. */
export async function placeAncestry(db: DbOrTx, placeId: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from places where id = ${placeId}
      union all
      select p.id, p.parent_id, up.depth + 1 from places p join up on p.id = up.parent_id
    )
    select id from up order by depth`.execute(db);
  return rows.rows.map((r) => r.id);
}

export interface RoleAssignmentDetail {
  id: string;
  role: Role;
  placeId: string;
  placeName: string;
  placeKind: Place['kind'];
  unitId: string | null;
  unitName: string | null;
  unitKind: Unit['kind'] | null;
}

export function listUserRoles(db: DbOrTx, userId: string): Promise<RoleAssignmentDetail[]> {
  return db
    .selectFrom('roleAssignments as r')
    .innerJoin('places as p', 'p.id', 'r.placeId')
    .leftJoin('units as u', 'u.id', 'r.unitId')
    .select([
      'r.id',
      'r.role',
      'r.placeId',
      'p.name as placeName',
      'p.kind as placeKind',
      'r.unitId',
      'u.name as unitName',
      'u.kind as unitKind',
    ])
    .where('r.userId', '=', userId)
    .orderBy('r.createdAt')
    .execute();
}

/** Does the user hold `role` at this place or any place above it? */
export async function holdsRoleOver(
  db: DbOrTx,
  userId: string,
  roles: Role[],
  placeId: string,
): Promise<boolean> {
  const ancestry = await placeAncestry(db, placeId);
  if (ancestry.length === 0) return false;
  const row = await db
    .selectFrom('roleAssignments')
    .select('id')
    .where('userId', '=', userId)
    .where('role', 'in', roles)
    .where('placeId', 'in', ancestry)
    .executeTakeFirst();
  return row !== undefined;
}

export async function assignRole(
  db: DbOrTx,
  assignment: { userId: string; role: Role; placeId: string; unitId: string | null },
): Promise<string | null> {
  const row = await db
    .insertInto('roleAssignments')
    .values(assignment)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}
