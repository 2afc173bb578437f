import { EmptyBody } from '@tongxin/shared';
import { Type } from 'typebox';
import { TeamBody, TeamDetail, TeamView } from '@tongxin/shared/teams/teams.schemas';
import {
  communitiesOfUser,
  findTeam,
  isUniqueViolation,
  membersOfTeams,
  teamsOfCommunity,
  writeAudit,
  type Team,
  type TeamMemberRow,
} from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser, say } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { requireSecretary } from '../claims/community-access.ts';

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
      const user = requireUser(request);
      const rel = await loadTeamsRelation(app.db, user, request.params.id);
      requireSecretary(request, rel);
      const body = request.body;
      if ((body.kind === 'custom') !== (body.customKind !== undefined))
        throw new AppError(
          400,
          'validation_failed',
          say(
            request,
            '自定义类型的服务队需要填写类型名称，其他类型不需要。',
            'A custom team needs the kind in words; other kinds take none.',
          ),
          'customKind',
        );
      const leaderId = body.leaderId ?? user.id;
      const leaderCommunities = await communitiesOfUser(app.db, leaderId);
      if (!leaderCommunities.some((c) => c.id === rel.community.id))
        throw new AppError(
          400,
          'validation_failed',
          say(request, '队长必须是本社区的成员。', 'The leader must belong to this community.'),
          'leaderId',
        );
      let team: Team;
      try {
        team = await app.db.transaction().execute(async (tx) => {
          const created = await tx
            .insertInto('teams')
            .values({
              communityId: rel.community.id,
              name: body.name.trim(),
              kind: body.kind,
              customKind: body.customKind?.trim() ?? null,
              description: body.description?.trim() ?? '',
              joinPolicy: body.joinPolicy ?? 'open',
              createdBy: user.id,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await tx
            .insertInto('teamMembers')
            .values({ teamId: created.id, userId: leaderId, role: 'leader', status: 'active' })
            .execute();
          await writeAudit(tx, {
            actorId: user.id,
            action: 'team.create',
            targetType: 'team',
            targetId: created.id,
          });
          return created;
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AppError(
            409,
            'conflict',
            say(
              request,
              '本社区已经有同名的服务队。',
              'This community already has a team by that name.',
            ),
          );
        throw error;
      }
      const fresh = await loadTeamsRelation(app.db, user, rel.community.id);
      return reply.code(201).send(await teamDetail(app, team, fresh));
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
      const { team, rel } = await teamAndRelation(app, request, request.params.id);
      if (rel.standing.has(team.id))
        throw new AppError(
          409,
          'conflict',
          say(
            request,
            '您已经加入或申请过这个服务队。',
            'You have already joined or asked to join.',
          ),
        );
      const status = team.joinPolicy === 'open' ? 'active' : 'pending';
      const leaders = (await membersOfTeams(app.db, [team.id]))
        .filter((m) => m.role === 'leader')
        .map((m) => m.userId);
      await app.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('teamMembers')
          .values({ teamId: team.id, userId: rel.user.id, status })
          .onConflict((oc) => oc.doNothing())
          .execute();
        if (status === 'pending')
          await app.notifications.send(
            tx,
            leaders,
            'team_join_requested',
            { team: team.name, name: rel.user.displayName },
            `/teams/${team.id}`,
          );
      });
      if (status === 'pending') void app.notifications.refresh(leaders);
      rel.standing.set(team.id, status === 'active' ? 'member' : 'pending');
      return teamDetail(app, team, rel);
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
      const { team, rel } = await teamAndRelation(app, request, request.params.id);
      if (isLeader(rel, team.id)) {
        const leaders = (await membersOfTeams(app.db, [team.id])).filter(
          (m) => m.role === 'leader',
        );
        if (leaders.length === 1)
          throw new AppError(
            409,
            'illegal_state',
            say(
              request,
              '您是这个服务队唯一的队长，请先请书记指定新队长。',
              'You are the only leader; ask the secretary to name another first.',
            ),
          );
      }
      await app.db
        .deleteFrom('teamMembers')
        .where('teamId', '=', team.id)
        .where('userId', '=', rel.user.id)
        .execute();
      rel.standing.delete(team.id);
      return teamDetail(app, team, rel);
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
      const { team, rel } = await teamAndRelation(app, request, request.params.id);
      if (!isLeader(rel, team.id) && !rel.secretary)
        throw new AppError(
          403,
          'forbidden',
          say(request, '只有队长可以批准入队申请。', 'Only a leader can approve requests to join.'),
        );
      const updated = await app.db.transaction().execute(async (tx) => {
        const row = await tx
          .updateTable('teamMembers')
          .set({ status: 'active' })
          .where('teamId', '=', team.id)
          .where('userId', '=', request.params.userId)
          .where('status', '=', 'pending')
          .returning('userId')
          .executeTakeFirst();
        if (row)
          await app.notifications.send(
            tx,
            [row.userId],
            'team_join_approved',
            { team: team.name },
            `/teams/${team.id}`,
          );
        return row;
      });
      if (!updated)
        throw new AppError(
          409,
          'illegal_state',
          say(
            request,
            '没有这位居民的待批准申请。',
            'There is no pending request from this person.',
          ),
        );
      void app.notifications.refresh([updated.userId]);
      return teamDetail(app, team, rel);
    },
  );
}
