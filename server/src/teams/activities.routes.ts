import { EmptyBody } from '@tongxin/shared/auth.schemas';
import { Type } from 'typebox';
import { DAY_MS, fromChinaLocal } from '@tongxin/shared/time/china';
import {
  ActivityBody,
  ActivityChange,
  ActivityQuery,
  ActivityView,
  LeaderMessageBody,
  MyActivity,
  SignupResult,
} from '@tongxin/shared/teams/teams.schemas';
import type { User } from '@tongxin/db/database';
import { signupView } from '@tongxin/db/teams/signups.queries';
import {
  findActivityRow,
  listActivityRows,
  liveSignupsOf,
  activityRowsOfUser,
  type ActivityRow,
} from '@tongxin/db/teams/teams.queries';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { loadTeamsRelation, requireBelongs, type TeamsRelation } from './access.ts';
import {
  callOffActivity,
  changeActivity,
  messageVolunteers,
  publishActivity,
} from './activities.commands.ts';
import { cancelSignup, signUp } from './signups.commands.ts';
import { toActivityView, viewerOf } from './views.ts';
import { IdParams } from '../http/params.ts';

const tags = ['teams'];

/** Views of the given activities for one viewer, with their sign-ups and queue positions. */
export async function activityViews(
  app: App,
  rows: ActivityRow[],
  rel: TeamsRelation,
): Promise<ActivityView[]> {
  const ids = rows.map((r) => r.id);
  const mine = await liveSignupsOf(app.db, rel.user.id, ids);
  return rows.map((r) => toActivityView(r, rel, mine.find((s) => s.activityId === r.id) ?? null));
}

async function activityAndRelation(app: App, request: FastifyRequest, id: string) {
  const row = await findActivityRow(app.db, id);
  if (!row) throw new AppError(404, 'not_found');
  const rel = await loadTeamsRelation(app.db, requireUser(request), row.communityId);
  requireBelongs(request, rel);
  return { row, rel };
}

/** The activity as the caller sees it after a command. */
async function viewFor(app: App, request: FastifyRequest, id: string): Promise<ActivityView> {
  const { row, rel } = await activityAndRelation(app, request, id);
  return (await activityViews(app, [row], rel))[0]!;
}

export async function activityRoutes(app: App) {
  app.get(
    '/communities/:id/activities',
    {
      schema: {
        tags,
        description:
          'Upcoming activities of the community: filter by day (China time), team kind, team, open places.',
        params: IdParams,
        querystring: ActivityQuery,
        response: { 200: Type.Array(ActivityView), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const rel = await loadTeamsRelation(app.db, requireUser(request), request.params.id);
      requireBelongs(request, rel);
      const q = request.query;
      const day = q.day ? fromChinaLocal(q.day) : null;
      if (day && Number.isNaN(day.getTime()))
        throw new AppError(400, 'validation_failed', undefined, 'day');
      const now = new Date();
      let rows = await listActivityRows(app.db, rel.community.id, {
        from: day && day > now ? day : now,
        ...(day ? { to: new Date(day.getTime() + DAY_MS) } : {}),
        ...(q.kind ? { teamKind: q.kind } : {}),
        ...(q.teamId ? { teamId: q.teamId } : {}),
      });
      if (q.open === 'true')
        rows = rows.filter((r) => r.status === 'scheduled' && r.confirmedCount < r.capacity);
      return activityViews(app, rows, rel);
    },
  );

  app.post(
    '/communities/:id/activities',
    {
      schema: {
        tags,
        description: 'A team leader (for their team) or the secretary publishes an activity.',
        params: IdParams,
        body: ActivityBody,
        response: { 201: ActivityView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const communityId = request.params.id;
      const id = await publishActivity(app, request, { communityId, body: request.body });
      return reply.code(201).send(await viewFor(app, request, id));
    },
  );

  app.get(
    '/activities/:id',
    {
      schema: { tags, params: IdParams, response: { 200: ActivityView, ...errors(401, 403, 404) } },
    },
    async (request) => {
      const { row, rel } = await activityAndRelation(app, request, request.params.id);
      return (await activityViews(app, [row], rel))[0]!;
    },
  );

  app.patch(
    '/activities/:id',
    {
      schema: {
        tags,
        description:
          'Changes an activity; everyone signed up is told. More places go to the waiting list at once.',
        params: IdParams,
        body: ActivityChange,
        response: { 200: ActivityView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const activityId = request.params.id;
      await changeActivity(app, request, { activityId, body: request.body });
      return viewFor(app, request, activityId);
    },
  );

  app.post(
    '/activities/:id/cancel',
    {
      schema: {
        tags,
        description: 'Calls an activity off; everyone signed up is told.',
        params: IdParams,
        body: EmptyBody,
        response: { 200: ActivityView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const activityId = request.params.id;
      await callOffActivity(app, request, { activityId });
      return viewFor(app, request, activityId);
    },
  );

  app.post(
    '/activities/:id/message',
    {
      schema: {
        tags,
        description: 'The leader writes to everyone holding or waiting for a place.',
        params: IdParams,
        body: LeaderMessageBody,
        response: {
          200: Type.Object({ recipients: Type.Integer() }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const activityId = request.params.id;
      const people = await messageVolunteers(app, request, { activityId, body: request.body });
      return { recipients: new Set(people).size };
    },
  );

  app.post(
    '/activities/:id/signup',
    {
      schema: {
        tags,
        description:
          'One tap: a place if one is free, else the waiting list (in arrival order). Overlapping activities of mine come back as a warning.',
        params: IdParams,
        body: EmptyBody,
        response: { 201: SignupResult, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const activityId = request.params.id;
      await signUp(app, request, { activityId });
      const seen = await signupView(app.db, activityId, requireUser(request).id);
      if (!seen) throw new AppError(404, 'not_found');
      return reply.code(201).send({
        activity: toActivityView(seen.row, viewerOf(seen), seen.mine),
        overlaps: seen.overlaps.map((o) => ({ ...o, startsAt: o.startsAt.toISOString() })),
      });
    },
  );

  app.post(
    '/signups/:id/cancel',
    {
      schema: {
        tags,
        description:
          'The volunteer cancels their own sign-up (or declines a place they were promoted to); the first person waiting gets the place.',
        params: IdParams,
        body: EmptyBody,
        response: { 200: ActivityView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { locked } = await cancelSignup(app, request, { signupId: request.params.id });
      const seen = await signupView(app.db, locked.activityId, requireUser(request).id);
      if (!seen) throw new AppError(404, 'not_found');
      return toActivityView(seen.row, viewerOf(seen), seen.mine);
    },
  );

  app.get(
    '/me/activities',
    {
      schema: {
        tags,
        description: 'My upcoming activities, places held and waited for.',
        response: { 200: Type.Array(MyActivity), ...errors(401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const rows = await activityRowsOfUser(app.db, user.id, new Date(Date.now() - 7 * 86_400_000));
      return myActivities(app, user, rows);
    },
  );
}

/** My activities with my standing, one relation and one batch of views per community. */
async function myActivities(app: App, user: User, rows: ActivityRow[]) {
  const byCommunity = new Map<string, ActivityRow[]>();
  for (const r of rows)
    byCommunity.set(r.communityId, [...(byCommunity.get(r.communityId) ?? []), r]);
  const out = [];
  for (const [communityId, mine] of byCommunity) {
    const rel = await loadTeamsRelation(app.db, user, communityId);
    if (!rel.belongs && !rel.secretary) continue;
    for (const view of await activityViews(app, mine, rel))
      if (view.mine) out.push({ activity: view, signup: view.mine });
  }
  // Communities arrive grouped; people read their activities in time order.
  return out.sort((a, b) => a.activity.startsAt.localeCompare(b.activity.startsAt));
}
