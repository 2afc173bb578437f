import type { DbOrTx, Tx } from '../create-db.ts';
import type { Team } from './teams.tables.ts';
import type { JoinPolicy, TeamKind } from '@tongxin/shared/teams/teams';

/** A person's place in each team of one community: leader, member, or a request pending. */
export function standingsOf(db: DbOrTx, userId: string, communityId: string) {
  return db
    .selectFrom('teamMembers as m')
    .innerJoin('teams as t', 't.id', 'm.teamId')
    .select(['m.teamId', 'm.role', 'm.status'])
    .where('m.userId', '=', userId)
    .where('t.communityId', '=', communityId)
    .execute();
}

/**
 * The team, locked until the transaction ends: membership changes of one team queue here.
 * `FOR NO KEY UPDATE`, so members inserted elsewhere (their foreign key share-locks the team's
 * key) do not wait for it.
 */
export function lockTeam(tx: Tx, id: string): Promise<Team | undefined> {
  return tx
    .selectFrom('teams')
    .selectAll()
    .where('id', '=', id)
    .forNoKeyUpdate()
    .executeTakeFirst();
}

export interface NewTeam {
  communityId: string;
  name: string;
  kind: TeamKind;
  customKind: string | null;
  description: string;
  joinPolicy: JoinPolicy;
  createdBy: string;
}

/** A team and its first leader. A second team of the same name in a community fails (23505). */
export async function insertTeam(tx: Tx, team: NewTeam, leaderId: string): Promise<Team> {
  const created = await tx
    .insertInto('teams')
    .values(team)
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('teamMembers')
    .values({ teamId: created.id, userId: leaderId, role: 'leader', status: 'active' })
    .execute();
  return created;
}

/** Joins (or asks to join) a team; false (and nothing written) if they already have. */
export async function insertMember(
  tx: Tx,
  teamId: string,
  userId: string,
  status: 'active' | 'pending',
): Promise<boolean> {
  const row = await tx
    .insertInto('teamMembers')
    .values({ teamId, userId, status })
    .onConflict((oc) => oc.doNothing())
    .returning('userId')
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteMember(tx: Tx, teamId: string, userId: string): Promise<void> {
  await tx
    .deleteFrom('teamMembers')
    .where('teamId', '=', teamId)
    .where('userId', '=', userId)
    .execute();
}

/** The team's leaders' ids. */
export async function leadersOf(db: DbOrTx, teamId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('teamMembers')
    .select('userId')
    .where('teamId', '=', teamId)
    .where('role', '=', 'leader')
    .execute();
  return rows.map((r) => r.userId);
}

/** Approves a pending request to join; undefined when there is none. */
export function approveMember(tx: Tx, teamId: string, userId: string) {
  return tx
    .updateTable('teamMembers')
    .set({ status: 'active' })
    .where('teamId', '=', teamId)
    .where('userId', '=', userId)
    .where('status', '=', 'pending')
    .returning('userId')
    .executeTakeFirst();
}
