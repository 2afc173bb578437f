import type { Transaction } from 'kysely';
import type { TeamBody } from '@tongxin/shared/teams/teams.schemas';
import type { Database } from '@tongxin/db/database';
import { communitiesOfUser } from '@tongxin/db/double-report/claims.queries';
import { isUniqueViolation } from '@tongxin/db/pg-errors';
import { findTeam } from '@tongxin/db/teams/teams.queries';
import type { Team } from '@tongxin/db/teams/teams.tables';
import {
  approveMember as approveRequest,
  deleteMember,
  insertMember,
  insertTeam,
  leadersOf,
  lockTeam,
} from '@tongxin/db/teams/members.queries';
import { AppError, refuse } from '../http/app-error.ts';
import type { App } from '../http/types.ts';
import { isLeader } from './access.ts';
import { teamsCommand } from './command.ts';

async function teamOf(app: App, id: string) {
  const team = await findTeam(app.db, id);
  if (!team) throw new AppError(404, 'not_found');
  return { ...team, teamId: team.id };
}

async function lockedTeam(tx: Transaction<Database>, id: string): Promise<Team> {
  const team = await lockTeam(tx, id);
  if (!team) throw new AppError(404, 'not_found');
  return team;
}

const teamLink = (id: string) => `/teams/${id}`;

/** The secretary sets up a service team (服务队) and names its first leader. */
export const createTeam = teamsCommand({
  may: 'secretary',
  target: async (_app, _request, input: { communityId: string; body: TeamBody }) => ({
    communityId: input.communityId,
  }),
  lock: async () => {},
  async run(tx, { rel }, _locked, { body }) {
    if ((body.kind === 'custom') !== (body.customKind !== undefined))
      throw refuse('custom_kind_mismatch', {}, 'customKind');
    const leaderId = body.leaderId ?? rel.user.id;
    const theirs = await communitiesOfUser(tx, leaderId);
    if (!theirs.some((c) => c.id === rel.community.id))
      throw refuse('leader_not_in_community', {}, 'leaderId');
    try {
      return await insertTeam(
        tx,
        {
          communityId: rel.community.id,
          name: body.name.trim(),
          kind: body.kind,
          customKind: body.customKind?.trim() ?? null,
          description: body.description?.trim() ?? '',
          joinPolicy: body.joinPolicy ?? 'open',
          createdBy: rel.user.id,
        },
        leaderId,
      );
    } catch (error) {
      // The clash aborted the transaction; the refusal rolls it back.
      if (isUniqueViolation(error)) throw refuse('team_name_taken', {}, 'name');
      throw error;
    }
  },
  audit: {
    action: 'team.create',
    entry: ({ rel }, _input, team) => ({
      actorId: rel.user.id,
      targetType: 'team',
      targetId: team.id,
    }),
  },
});

/** Joins an open team at once; asks the leaders of a team that approves its members. */
export const joinTeam = teamsCommand({
  target: (app, _request, input: { teamId: string }) => teamOf(app, input.teamId),
  may: ({ rel, target }) => {
    if (rel.standing.has(target.id)) throw refuse('already_in_team');
  },
  lock: (tx, { target }) => lockedTeam(tx, target.id),
  async run(tx, { rel, notify }, team) {
    const status = team.joinPolicy === 'open' ? ('active' as const) : ('pending' as const);
    // A second tap that passed the check before the first committed.
    if (!(await insertMember(tx, team.id, rel.user.id, status))) throw refuse('already_in_team');
    const leaders = status === 'pending' ? await leadersOf(tx, team.id) : [];
    await notify(
      tx,
      leaders,
      'team_join_requested',
      { team: team.name, name: rel.user.displayName },
      teamLink(team.id),
    );
    rel.standing.set(team.id, status === 'active' ? 'member' : 'pending');
    return { team, status, leaders };
  },
  audit: {
    action: 'team.join',
    entry: ({ rel }, _input, { team, status }) => ({
      actorId: rel.user.id,
      targetType: 'team',
      targetId: team.id,
      details: { status },
    }),
  },
  async effects(app, _ctx, _input, { leaders }) {
    await app.notifications.refresh(leaders);
  },
});

/** Leaves a team (or withdraws a request to join); the last leader stays until replaced. */
export const leaveTeam = teamsCommand({
  may: 'belongs',
  target: (app, _request, input: { teamId: string }) => teamOf(app, input.teamId),
  lock: (tx, { target }) => lockedTeam(tx, target.id),
  async run(tx, { rel }, team) {
    // Judged under the team's lock, so two leaders leaving at once cannot leave it without one.
    if (isLeader(rel, team.id)) {
      const leaders = await leadersOf(tx, team.id);
      if (leaders.length === 1 && leaders[0] === rel.user.id) throw refuse('sole_leader');
    }
    await deleteMember(tx, team.id, rel.user.id);
    rel.standing.delete(team.id);
    return team;
  },
  audit: {
    action: 'team.leave',
    entry: ({ rel }, _input, team) => ({
      actorId: rel.user.id,
      targetType: 'team',
      targetId: team.id,
    }),
  },
});

/** A leader (or the secretary) approves a resident's request to join. */
export const approveMember = teamsCommand({
  may: 'manage',
  target: (app, _request, input: { teamId: string; userId: string }) => teamOf(app, input.teamId),
  lock: (tx, { target }) => lockedTeam(tx, target.id),
  async run(tx, { notify }, team, { userId }) {
    const row = await approveRequest(tx, team.id, userId);
    if (!row) throw refuse('no_pending_request');
    await notify(tx, [userId], 'team_join_approved', { team: team.name }, teamLink(team.id));
    return team;
  },
  audit: {
    action: 'team.approve',
    entry: ({ rel }, { userId }, team) => ({
      actorId: rel.user.id,
      targetType: 'team',
      targetId: team.id,
      details: { userId },
    }),
  },
  async effects(app, _ctx, { userId }) {
    await app.notifications.refresh([userId]);
  },
});
