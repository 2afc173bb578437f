import { sql } from 'kysely';
import type { Role } from '@tongxin/shared/roles';
import type { DbOrTx } from '../create-db.ts';
import type { Place, RoleAssignment, Unit } from '../database.ts';

/** The place and every place below it. */
export async function placeAndBelow(db: DbOrTx, placeId: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    with recursive down(id) as (
      select id from places where id = ${placeId}
      union all
      select p.id from places p join down on p.parent_id = down.id
    )
    select id from down`.execute(db);
  return rows.rows.map((r) => r.id);
}

export interface PersonRole {
  id: string;
  userId: string;
  displayName: string;
  username: string;
  role: Role;
  placeId: string;
  placeName: string;
  placeKind: Place['kind'];
  unitId: string | null;
  unitName: string | null;
  unitKind: Unit['kind'] | null;
  createdAt: Date;
}

export interface PeopleFilter {
  role?: Role;
  /** Part of a display name or username. */
  q?: string;
  limit: number;
  offset: number;
}

/** Roles held at the places given (a secretary's area), by name, a page at a time. */
export async function listRolesAt(
  db: DbOrTx,
  placeIds: string[],
  filter: PeopleFilter,
): Promise<{ total: number; items: PersonRole[] }> {
  if (placeIds.length === 0) return { total: 0, items: [] };
  let query = db
    .selectFrom('roleAssignments as r')
    .innerJoin('users as u', 'u.id', 'r.userId')
    .innerJoin('places as p', 'p.id', 'r.placeId')
    .leftJoin('units as n', 'n.id', 'r.unitId')
    .where('r.placeId', 'in', placeIds);
  if (filter.role) query = query.where('r.role', '=', filter.role);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('u.displayName', 'ilike', like), eb('u.username', 'ilike', like)]),
    );
  }
  const [count, items] = await Promise.all([
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    query
      .select([
        'r.id',
        'r.userId',
        'u.displayName',
        'u.username',
        'r.role',
        'r.placeId',
        'p.name as placeName',
        'p.kind as placeKind',
        'r.unitId',
        'n.name as unitName',
        'n.kind as unitKind',
        'r.createdAt',
      ])
      .orderBy('u.displayName')
      .orderBy('r.role')
      .orderBy('r.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
  ]);
  return { total: Number(count.n), items };
}

export function findRoleAssignment(db: DbOrTx, id: string): Promise<RoleAssignment | undefined> {
  return db.selectFrom('roleAssignments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Removes one role; false when it was already gone (revoked twice at once: one wins). */
export async function deleteRoleAssignment(db: DbOrTx, id: string): Promise<boolean> {
  const row = await db
    .deleteFrom('roleAssignments')
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
