import type { FastifyRequest } from 'fastify';
import type { DbOrTx } from '@tongxin/db/create-db';
import type { User } from '@tongxin/db/database';
import type { Team } from '@tongxin/db/teams/teams.tables';
import { standingsOf } from '@tongxin/db/teams/members.queries';
import { hasLedger } from '@tongxin/db/teams/points.queries';
import { mayUsePoints } from '@tongxin/shared/teams/teams';
import { refuse } from '../http/app-error.ts';
import {
  loadCommunityAccess,
  notInCommunity,
  type CommunityAccess,
} from '../places/community-access.ts';

export { notInCommunity, requireBelongs, requireSecretary } from '../places/community-access.ts';

export type Standing = 'leader' | 'member' | 'pending';

/** What a person is to one community's teams: the common access, and their teams. */
export interface TeamsRelation extends CommunityAccess {
  /** Their place in each team of the community they have joined or asked to join. */
  standing: Map<string, Standing>;
}

export async function loadTeamsRelation(
  db: DbOrTx,
  user: User,
  communityId: string,
): Promise<TeamsRelation> {
  const access = await loadCommunityAccess(db, user, communityId);
  const memberships = await standingsOf(db, user.id, communityId);
  return {
    ...access,
    standing: new Map(
      memberships.map((m) => [m.teamId, m.status === 'pending' ? 'pending' : m.role]),
    ),
  };
}

/**
 * Points without a role (`mayUsePoints`): my points, the 积分商城 and redeeming are for whoever
 * belongs to the community or has a ledger there; anyone else is refused as one from elsewhere
 * (`not_in_community`). The ledger is read only for someone without a role. It is append-only
 * (a trigger refuses UPDATE and DELETE), so once there it stays: read before a command's
 * transaction, the answer cannot go stale, and no lock is added.
 */
export async function requirePointsUser(
  db: DbOrTx,
  request: FastifyRequest,
  access: CommunityAccess,
): Promise<void> {
  const ledger = !access.belongs && (await hasLedger(db, access.user.id, access.community.id));
  if (!mayUsePoints({ belongs: access.belongs, hasLedger: ledger })) throw notInCommunity(request);
}

/** What deciding on one activity needs to know of a relation. */
export type Viewer = Pick<TeamsRelation, 'secretary' | 'standing'>;

export const isLeader = (rel: Viewer, teamId: string | null) =>
  teamId !== null && rel.standing.get(teamId) === 'leader';
export const isActiveMember = (rel: Viewer, teamId: string | null) =>
  teamId !== null && ['leader', 'member'].includes(rel.standing.get(teamId) ?? '');
/** The team's leaders and the secretary keep an activity: change, cancel, message, roster. */
export const mayManage = (rel: Viewer, teamId: string | null) =>
  rel.secretary || isLeader(rel, teamId);

export function requireManager(rel: Viewer, teamId: string | null): void {
  if (!mayManage(rel, teamId)) throw refuse('not_team_manager');
}

/**
 * For publishing an activity or a service day: the team (if any, `team` as read) is this
 * community's, the publisher keeps it, and only a team's activity can be members-only.
 */
export function requirePublisher(
  rel: TeamsRelation,
  teamId: string | null,
  team: Team | undefined,
  membersOnly: boolean,
): void {
  if (teamId && (!team || team.communityId !== rel.community.id))
    throw refuse('team_not_in_community', {}, 'teamId');
  requireManager(rel, teamId);
  if (membersOnly && !teamId) throw refuse('members_only_needs_team', {}, 'membersOnly');
}
