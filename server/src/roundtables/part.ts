import type { Part } from '@tongxin/shared/roundtables/stages';
import type { DbOrTx } from '@tongxin/db/create-db';
import type { User } from '@tongxin/db/database';
import { roundtableStandings, type RoundtableStanding } from '@tongxin/db/users/roles.queries';

interface TableKeys {
  id: string;
  chairId: string;
}

/**
 * A person's part in one roundtable: the chair (its convener, or a secretary over its
 * place), a scribe of the place, a participant (anyone with a role at the place or below it,
 * a representative of an invited unit, or the owner of one of its action items), a guest who
 * came by this table's invite link, else an observer who may only watch.
 */
export function partFrom(
  user: User,
  roundtable: TableKeys,
  standing: RoundtableStanding | undefined,
): Part {
  // A guest account holds no roles (the database refuses them): only its own table knows it.
  if (user.kind === 'guest') return standing?.guest ? 'guest' : 'observer';
  if (roundtable.chairId === user.id) return 'chair';
  if (!standing) return 'observer';
  if (standing.secretaryOver) return 'chair';
  if (standing.scribeWithin) return 'scribe';
  // The owner of an action item may be from elsewhere (a unit, a team, a person named by the
  // chair): they take part so far as to open the room and report progress.
  if (standing.roleWithin || standing.invitedRep || standing.ownsItem) return 'participant';
  return 'observer';
}

/** The part in each roundtable given, one statement for all of them. */
export async function partsOf(
  db: DbOrTx,
  user: User,
  roundtables: TableKeys[],
): Promise<Map<string, Part>> {
  const standings = await roundtableStandings(
    db,
    user.id,
    roundtables.map((r) => r.id),
  );
  return new Map(roundtables.map((r) => [r.id, partFrom(user, r, standings.get(r.id))]));
}

export async function partOf(db: DbOrTx, user: User, roundtable: TableKeys): Promise<Part> {
  return (await partsOf(db, user, [roundtable])).get(roundtable.id)!;
}
