import type { Part } from '@tongxin/shared/roundtable/stages';
import {
  findGuest,
  holdsRoleOver,
  holdsRoleWithin,
  isInvitedUnitRep,
  ownsAnyItemOf,
  type DbOrTx,
  type User,
} from '@tongxin/db';

/**
 * A person's part in one roundtable: the chair (its convener, or a secretary over its
 * place), a scribe of the place, a participant (anyone with a role at the place or below it,
 * a representative of an invited unit, or the owner of one of its action items), a guest who came by this table's invite link,
 * else an observer who may only watch.
 */
export async function partOf(
  db: DbOrTx,
  user: User,
  roundtable: { id: string; chairId: string; placeId: string },
): Promise<Part> {
  // A guest account holds no roles (the database refuses them): only its own table knows it.
  if (user.kind === 'guest')
    return (await findGuest(db, roundtable.id, user.id)) ? 'guest' : 'observer';
  if (roundtable.chairId === user.id) return 'chair';
  if (await holdsRoleOver(db, user.id, ['secretary'], roundtable.placeId)) return 'chair';
  if (await holdsRoleWithin(db, user.id, ['scribe'], roundtable.placeId)) return 'scribe';
  const anyRole = ['resident', 'volunteer', 'team_leader', 'party_member', 'scribe', 'unit_rep'];
  if (await holdsRoleWithin(db, user.id, anyRole, roundtable.placeId)) return 'participant';
  if (await isInvitedUnitRep(db, user.id, roundtable.id)) return 'participant';
  // The owner of an action item may be from elsewhere (a unit, a team, a person named by the
  // chair): they take part so far as to open the room and report progress.
  if (await ownsAnyItemOf(db, user.id, roundtable.id)) return 'participant';
  return 'observer';
}
