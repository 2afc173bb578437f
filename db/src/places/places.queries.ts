import type { Role } from '@tongxin/shared/roles';
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
