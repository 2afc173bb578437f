import type { FastifyRequest } from 'fastify';
import { findTeam, type DbOrTx, type User } from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { say } from '../http/request-context.ts';
import { loadCommunityAccess, type CommunityAccess } from '../places/community-access.ts';

export { notInCommunity, requireBelongs } from '../places/community-access.ts';

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
  const memberships = await db
    .selectFrom('teamMembers as m')
    .innerJoin('teams as t', 't.id', 'm.teamId')
    .select(['m.teamId', 'm.role', 'm.status'])
    .where('m.userId', '=', user.id)
    .where('t.communityId', '=', communityId)
    .execute();
  return {
    ...access,
    standing: new Map(
      memberships.map((m) => [m.teamId, m.status === 'pending' ? 'pending' : m.role]),
    ),
  };
}

/** What deciding on one shift needs to know of a relation. */
export type Viewer = Pick<TeamsRelation, 'secretary' | 'standing'>;

export const isLeader = (rel: Viewer, teamId: string | null) =>
  teamId !== null && rel.standing.get(teamId) === 'leader';
export const isActiveMember = (rel: Viewer, teamId: string | null) =>
  teamId !== null && ['leader', 'member'].includes(rel.standing.get(teamId) ?? '');
/** The team's leaders and the secretary keep a shift: change, cancel, message, roster. */
export const mayManage = (rel: Viewer, teamId: string | null) =>
  rel.secretary || isLeader(rel, teamId);

export function requireManager(
  request: FastifyRequest,
  rel: TeamsRelation,
  teamId: string | null,
): void {
  if (!mayManage(rel, teamId))
    throw new AppError(
      403,
      'forbidden',
      say(
        request,
        '只有服务队队长或社区书记可以进行这项操作。',
        "Only the team's leader or the community's secretary can do this.",
      ),
    );
}

/**
 * For publishing a shift or a service day: the team (if any) is this community's, the
 * publisher keeps it, and only a team's shift can be members-only.
 */
export async function requirePublisher(
  db: DbOrTx,
  request: FastifyRequest,
  rel: TeamsRelation,
  teamId: string | null,
  membersOnly: boolean,
): Promise<void> {
  if (teamId) {
    const team = await findTeam(db, teamId);
    if (!team || team.communityId !== rel.community.id)
      throw new AppError(
        400,
        'validation_failed',
        say(request, '这个服务队不属于本社区。', 'That team is not in this community.'),
        'teamId',
      );
  }
  requireManager(request, rel, teamId);
  if (membersOnly && !teamId)
    throw new AppError(
      400,
      'validation_failed',
      say(request, '只有服务队的活动才能限队员报名。', 'Only a team shift can be members-only.'),
      'membersOnly',
    );
}
