import type { DbOrTx } from '../create-db.ts';
import type { Place, Unit } from '../database.ts';
import type { Role } from '@tongxin/shared/roles';

export interface InvitationDetail {
  id: string;
  code: string;
  role: Role;
  placeId: string;
  placeName: string;
  placeKind: Place['kind'];
  unitId: string | null;
  unitName: string | null;
  unitKind: Unit['kind'] | null;
  invitedByName: string;
  note: string | null;
  maxUses: number;
  usedCount: number;
  expiresAt: Date;
}

function selectDetail(db: DbOrTx) {
  return db
    .selectFrom('invitations as i')
    .innerJoin('places as p', 'p.id', 'i.placeId')
    .innerJoin('users as by', 'by.id', 'i.invitedBy')
    .leftJoin('units as u', 'u.id', 'i.unitId')
    .select([
      'i.id',
      'i.code',
      'i.role',
      'i.placeId',
      'p.name as placeName',
      'p.kind as placeKind',
      'i.unitId',
      'u.name as unitName',
      'u.kind as unitKind',
      'by.displayName as invitedByName',
      'i.note',
      'i.maxUses',
      'i.usedCount',
      'i.expiresAt',
    ]);
}

export function findInvitationByCode(
  db: DbOrTx,
  code: string,
): Promise<InvitationDetail | undefined> {
  return selectDetail(db).where('i.code', '=', code).executeTakeFirst();
}

export function listPlaceInvitations(db: DbOrTx, placeId: string): Promise<InvitationDetail[]> {
  return selectDetail(db)
    .where('i.placeId', '=', placeId)
    .orderBy('i.createdAt', 'desc')
    .limit(200)
    .execute();
}

export async function insertInvitation(
  db: DbOrTx,
  invitation: {
    code: string;
    role: Role;
    placeId: string;
    unitId: string | null;
    invitedBy: string;
    note: string | null;
    maxUses: number;
    expiresAt: Date;
  },
): Promise<string> {
  const row = await db
    .insertInto('invitations')
    .values(invitation)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Takes one use of the invitation if one is left and it has not expired. The condition
 * sits in the UPDATE itself, so two people racing for the last use cannot both get it.
 */
export async function consumeInvitation(db: DbOrTx, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set((eb) => ({ usedCount: eb('usedCount', '+', 1) }))
    .where('id', '=', id)
    .where('usedCount', '<', (eb) => eb.ref('maxUses'))
    .where('expiresAt', '>', now)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
