import { EmptyBody } from '@tongxin/shared/auth.schemas';
import { Type } from 'typebox';
import { TeamBody, TeamDetail, TeamView } from '@tongxin/shared/teams/teams.schemas';
import type { FastifyRequest } from 'fastify';
import {
  findTeam,
  membersOfTeams,
  teamsOfCommunity,
  type TeamMemberRow,
} from '@tongxin/db/teams/teams.queries';
import type { Team } from '@tongxin/db/teams/teams.tables';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { approveMember, createTeam, joinTeam, leaveTeam } from './teams.commands.ts';

import { isLeader, loadTeamsRelation, requireBelongs, type TeamsRelation } from './access.ts';
import { IdParams } from '../http/params.ts';

const tags = ['teams'];
const MemberParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  userId: Type.String({ format: 'uuid' }),
});

function toTeamView(team: Team, members: TeamMemberRow[], rel: TeamsRelation): TeamView {
  const mine = members.filter((m) => m.teamId === team.id);
  return {
    id: team.id,
    communityId: team.communityId,
    name: team.name,
    kind: team.kind,
    customKind: team.customKind,
    description: team.description,
    joinPolicy: team.joinPolicy,
    leaders: mine.filter((m) => m.role === 'leader').map((m) => ({ id: m.userId, name: m.name })),
    memberCount: mine.filter((m) => m.status === 'active').length,
    me: rel.standing.get(team.id) ?? 'none',
  };
}

async function teamDetail(app: App, team: Team, rel: TeamsRelation): Promise<TeamDetail> {
  const members = await membersOfTeams(app.db, [team.id]);
  const leader = isLeader(rel, team.id) || rel.secretary;
  return {
    team: toTeamView(team, members, rel),
    members: members
      .filter((m) => leader || m.status === 'active')
      .map((m) => ({
        user: { id: m.userId, name: m.name },
        role: m.role,
        status: m.status,
        since: m.createdAt.toISOString(),
      })),
  };
}

/** The team as the caller sees it after a command. */
async function detailFor(app: App, request: FastifyRequest, team: Team) {
  const rel = await loadTeamsRelation(app.db, requireUser(request), team.communityId);
  return teamDetail(app, team, rel);
}

async function teamAndRelation(app: App, request: Parameters<typeof requireUser>[0], id: string) {
  const team = await findTeam(app.db, id);
  if (!team) throw new AppError(404, 'not_found');
  const rel = await loadTeamsRelation(app.db, requireUser(request), team.communityId);
  requireBelongs(request, rel);
  return { team, rel };
}

export async function teamRoutes(app: App) {
  app.get(
    '/communities/:id/teams',
    {
      schema: {
        tags,
        description: "The community's service teams (服务队).",
        params: IdParams,
        response: { 200: Type.Array(TeamView), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const rel = await loadTeamsRelation(app.db, requireUser(request), request.params.id);
      requireBelongs(request, rel);
      const teams = await teamsOfCommunity(app.db, rel.community.id);
      const members = await membersOfTeams(
        app.db,
        teams.map((t) => t.id),
      );
      return teams.map((t) => toTeamView(t, members, rel));
    },
  );

  app.post(
    '/communities/:id/teams',
    {
      schema: {
        tags,
        description: 'The secretary sets up a service team and names its first leader.',
        params: IdParams,
        body: TeamBody,
        response: { 201: TeamDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const communityId = request.params.id;
      const team = await createTeam(app, request, { communityId, body: request.body });
      const rel = await loadTeamsRelation(app.db, requireUser(request), communityId);
      return reply.code(201).send(await teamDetail(app, team, rel));
    },
  );

  app.get(
    '/teams/:id',
    {
      schema: {
        tags,
        params: IdParams,
        response: { 200: TeamDetail, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const { team, rel } = await teamAndRelation(app, request, request.params.id);
      return teamDetail(app, team, rel);
    },
  );

  app.post(
    '/teams/:id/join',
    {
      schema: {
        tags,
        description:
          'Joins an open team at once; asks the leaders of a team that approves members.',
        params: IdParams,
        body: EmptyBody,
        response: { 200: TeamDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { team } = await joinTeam(app, request, { teamId: request.params.id });
      return detailFor(app, request, team);
    },
  );

  app.post(
    '/teams/:id/leave',
    {
      schema: {
        tags,
        params: IdParams,
        body: EmptyBody,
        response: { 200: TeamDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const team = await leaveTeam(app, request, { teamId: request.params.id });
      return detailFor(app, request, team);
    },
  );

  app.post(
    '/teams/:id/members/:userId/approve',
    {
      schema: {
        tags,
        description: "A leader approves a resident's request to join.",
        params: MemberParams,
        body: EmptyBody,
        response: { 200: TeamDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { id: teamId, userId } = request.params;
      const team = await approveMember(app, request, { teamId, userId });
      return detailFor(app, request, team);
    },
  );
}
