import { sql } from 'kysely';
import type { Role } from '@tongxin/shared/roles';
import type { DbOrTx } from '../create-db.ts';

/*
 * Every question "does this person hold a role that lets them …" is asked here, each in one
 * statement: they run on most requests, so each costs one round trip, never one per place.
 */

/** Does the user hold one of `roles` at this place or any place above it? */
export async function holdsRoleOver(
  db: DbOrTx,
  userId: string,
  roles: Role[],
  placeId: string,
): Promise<boolean> {
  const { rows } = await sql<{ yes: boolean }>`
    with recursive up(id) as (
      select id from places where id = ${placeId}
      union all
      select p.parent_id from places p join up on p.id = up.id where p.parent_id is not null
    )
    select exists(
      select 1 from role_assignments r join up on up.id = r.place_id
      where r.user_id = ${userId} and r.role = any(${roles}::text[])
    ) as yes`.execute(db);
  return rows[0]?.yes === true;
}

/** Roles that make someone a participant of a roundtable at their place or above it. */
const PARTICIPANT_ROLES: Role[] = [
  'resident',
  'volunteer',
  'team_leader',
  'party_member',
  'scribe',
  'unit_rep',
];

/** What a person holds that bears on their part in one roundtable (see partOf). */
export interface RoundtableStanding {
  roundtableId: string;
  /** A secretary at the roundtable's place or above it. */
  secretaryOver: boolean;
  /** A scribe at the roundtable's place or below it. */
  scribeWithin: boolean;
  /** Any participant's role at the roundtable's place or below it. */
  roleWithin: boolean;
  /** A representative of a unit invited to it. */
  invitedRep: boolean;
  /** Answers for one of its action items (owner, owning unit's rep, owning team's leader). */
  ownsItem: boolean;
  /** Came by its guest link. */
  guest: boolean;
  guestMaySpeak: boolean;
}

/**
 * The user's standing in each roundtable given, in one statement: `up` climbs from each
 * roundtable's place to the top, `mine` from each of the user's roles to the top (a role is
 * "within" a place when that place is on its way up).
 */
export async function roundtableStandings(
  db: DbOrTx,
  userId: string,
  roundtableIds: string[],
): Promise<Map<string, RoundtableStanding>> {
  const byId = new Map<string, RoundtableStanding>();
  if (roundtableIds.length === 0) return byId;
  const { rows } = await sql<RoundtableStanding>`
    with recursive up(roundtable_id, place_id) as (
      select id, place_id from roundtables where id = any(${roundtableIds}::uuid[])
      union all
      select up.roundtable_id, p.parent_id from up join places p on p.id = up.place_id
      where p.parent_id is not null
    ), mine(role, at) as (
      select role, place_id from role_assignments where user_id = ${userId}
      union all
      select m.role, p.parent_id from mine m join places p on p.id = m.at
      where p.parent_id is not null
    )
    select
      r.id as roundtable_id,
      exists(
        select 1 from up join role_assignments ra on ra.place_id = up.place_id
        where up.roundtable_id = r.id and ra.user_id = ${userId} and ra.role = 'secretary'
      ) as secretary_over,
      exists(select 1 from mine m where m.at = r.place_id and m.role = 'scribe') as scribe_within,
      exists(
        select 1 from mine m where m.at = r.place_id and m.role = any(${PARTICIPANT_ROLES}::text[])
      ) as role_within,
      exists(
        select 1 from roundtable_units ru join role_assignments ra on ra.unit_id = ru.unit_id
        where ru.roundtable_id = r.id and ra.user_id = ${userId} and ra.role = 'unit_rep'
      ) as invited_rep,
      exists(
        select 1 from action_items a
        where a.roundtable_id = r.id and (
          a.owner_user_id = ${userId}
          or exists(
            select 1 from role_assignments ra
            where ra.unit_id = a.owner_unit_id and ra.user_id = ${userId} and ra.role = 'unit_rep'
          )
          or exists(
            select 1 from team_members tm
            where tm.team_id = a.owner_team_id and tm.user_id = ${userId}
              and tm.role = 'leader' and tm.status = 'active'
          )
        )
      ) as owns_item,
      g.user_id is not null as guest,
      coalesce(g.may_speak, false) as guest_may_speak
    from roundtables r
    left join roundtable_guests g on g.roundtable_id = r.id and g.user_id = ${userId}
    where r.id = any(${roundtableIds}::uuid[])`.execute(db);
  for (const row of rows) byId.set(row.roundtableId, row);
  return byId;
}
