import { EmptyBody } from '@tongxin/shared';
import { Type } from 'typebox';
import { DAY_MS, fromChinaLocal } from '@tongxin/shared/time/china';
import {
  ActivityBody,
  ActivityChange,
  ActivityQuery,
  ActivityView,
  LeaderMessageBody,
  MyShift,
  SignupResult,
} from '@tongxin/shared/teams/teams.schemas';
import {
  findActivityRow,
  listActivityRows,
  liveSignupsOf,
  newCheckinCode,
  lockActivity,
  lockSignupShift,
  shiftRowsOfUser,
  signupView,
  writeAudit,
  type ActivityRow,
  type DbOrTx,
  type User,
} from '@tongxin/db';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser, say } from '../http/request-context.ts';
import type { App } from '../http/types.ts';

import {
  loadTeamsRelation,
  requireBelongs,
  requireManager,
  requirePublisher,
  type TeamsRelation,
} from './access.ts';
import type { TeamsBoard } from './board.ts';
import { cancelSignup, promoteFromWaitlist, signUp } from './signups.ts';
import { toActivityView, viewerOf } from './views.ts';
import { IdParams } from '../http/params.ts';

const tags = ['teams'];
export const activityLink = (id: string) => `/teams/activities/${id}`;

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

async function viewOf(app: App, id: string, rel: TeamsRelation): Promise<ActivityView> {
  const row = await findActivityRow(app.db, id);
  if (!row) throw new AppError(404, 'not_found');
  return (await activityViews(app, [row], rel))[0]!;
}

function requireWindow(request: FastifyRequest, startsAt: Date, endsAt: Date) {
  if (endsAt <= startsAt)
    throw new AppError(
      400,
      'validation_failed',
      say(request, '结束时间必须晚于开始时间。', 'The end must come after the start.'),
      'endsAt',
    );
}

/** Everyone holding or waiting for a place on the shift. */
async function peopleOn(db: DbOrTx, activityId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('signups')
    .select('userId')
    .where('activityId', '=', activityId)
    .where('status', '<>', 'cancelled')
    .execute();
  return rows.map((r) => r.userId);
}

export async function activityRoutes(app: App, board: TeamsBoard) {
  app.get(
    '/communities/:id/activities',
    {
      schema: {
        tags,
        description:
          'Upcoming shifts of the community: filter by day (China time), team kind, team, open places.',
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
        description: 'A team leader (for their team) or the secretary publishes a shift.',
        params: IdParams,
        body: ActivityBody,
        response: { 201: ActivityView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const rel = await loadTeamsRelation(app.db, user, request.params.id);
      const body = request.body;
      const teamId = body.teamId ?? null;
      await requirePublisher(app.db, request, rel, teamId, body.membersOnly ?? false);
      const startsAt = new Date(body.startsAt);
      const endsAt = new Date(body.endsAt);
      requireWindow(request, startsAt, endsAt);
      const created = await app.db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('activities')
          .values({
            communityId: rel.community.id,
            teamId,
            title: body.title.trim(),
            description: body.description?.trim() ?? '',
            place: body.place.trim(),
            requirements: body.requirements?.trim() ?? '',
            startsAt,
            endsAt,
            capacity: body.capacity,
            membersOnly: body.membersOnly ?? false,
            checkinCode: newCheckinCode(),
            createdBy: user.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await writeAudit(tx, {
          actorId: user.id,
          action: 'activity.create',
          targetType: 'activity',
          targetId: row.id,
        });
        return row;
      });
      void board.publish(rel.community.id, created.id);
      return reply.code(201).send(await viewOf(app, created.id, rel));
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
          'Changes a shift; everyone signed up is told. More places go to the waiting list at once.',
        params: IdParams,
        body: ActivityChange,
        response: { 200: ActivityView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { row, rel } = await activityAndRelation(app, request, request.params.id);
      requireManager(request, rel, row.teamId);
      const body = request.body;
      const startsAt = body.startsAt ? new Date(body.startsAt) : row.startsAt;
      const endsAt = body.endsAt ? new Date(body.endsAt) : row.endsAt;
      requireWindow(request, startsAt, endsAt);
      const told = await app.db.transaction().execute(async (tx) => {
        // Gone if its 集中服务日 rule was changed or ended meanwhile (nobody was signed up).
        const locked = await lockActivity(tx, row.id);
        if (!locked) throw new AppError(404, 'not_found');
        if (locked.status === 'cancelled') throw new AppError(409, 'illegal_state');
        if (body.capacity !== undefined && body.capacity < locked.confirmedCount)
          throw new AppError(
            409,
            'illegal_state',
            say(
              request,
              `已有 ${locked.confirmedCount} 人确认报名，名额不能少于这个数。请先与队员沟通。`,
              `${locked.confirmedCount} people hold places; capacity cannot go below that. Talk to them first.`,
            ),
          );
        const updated = await tx
          .updateTable('activities')
          .set({
            ...(body.title !== undefined ? { title: body.title.trim() } : {}),
            ...(body.description !== undefined ? { description: body.description.trim() } : {}),
            ...(body.place !== undefined ? { place: body.place.trim() } : {}),
            ...(body.requirements !== undefined ? { requirements: body.requirements.trim() } : {}),
            ...(body.capacity !== undefined ? { capacity: body.capacity } : {}),
            startsAt,
            endsAt,
          })
          .where('id', '=', row.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        const promoted = await promoteFromWaitlist(tx, updated);
        const people = await peopleOn(tx, row.id);
        const others = people.filter((id) => !promoted.some((p) => p.userId === id));
        const params = {
          title: updated.title,
          startsAt: updated.startsAt.toISOString(),
          place: updated.place,
        };
        await app.notifications.send(tx, others, 'shift_changed', params, activityLink(row.id));
        await app.notifications.send(
          tx,
          promoted.map((p) => p.userId),
          'waitlist_promoted',
          params,
          activityLink(row.id),
        );
        await writeAudit(tx, {
          actorId: rel.user.id,
          action: 'activity.change',
          targetType: 'activity',
          targetId: row.id,
          details: { ...body },
        });
        return people;
      });
      void app.notifications.refresh(told);
      void board.publish(row.communityId, row.id);
      return viewOf(app, row.id, rel);
    },
  );

  app.post(
    '/activities/:id/cancel',
    {
      schema: {
        tags,
        description: 'Calls a shift off; everyone signed up is told.',
        params: IdParams,
        body: EmptyBody,
        response: { 200: ActivityView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { row, rel } = await activityAndRelation(app, request, request.params.id);
      requireManager(request, rel, row.teamId);
      const told = await app.db.transaction().execute(async (tx) => {
        // Gone if its 集中服务日 rule was changed or ended meanwhile (nobody was signed up).
        const locked = await lockActivity(tx, row.id);
        if (!locked) throw new AppError(404, 'not_found');
        if (locked.status === 'cancelled') throw new AppError(409, 'illegal_state');
        await tx
          .updateTable('activities')
          .set({ status: 'cancelled' })
          .where('id', '=', row.id)
          .execute();
        const people = await peopleOn(tx, row.id);
        await app.notifications.send(
          tx,
          people,
          'shift_cancelled',
          { title: row.title, startsAt: row.startsAt.toISOString() },
          activityLink(row.id),
        );
        await writeAudit(tx, {
          actorId: rel.user.id,
          action: 'activity.cancel',
          targetType: 'activity',
          targetId: row.id,
        });
        return people;
      });
      void app.notifications.refresh(told);
      void board.publish(row.communityId, row.id);
      return viewOf(app, row.id, rel);
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
      const { row, rel } = await activityAndRelation(app, request, request.params.id);
      requireManager(request, rel, row.teamId);
      const people = await peopleOn(app.db, row.id);
      await app.notifications.send(
        app.db,
        people,
        'leader_message',
        { title: row.title, from: rel.user.displayName, text: request.body.text.trim() },
        activityLink(row.id),
      );
      void app.notifications.refresh(people);
      return { recipients: new Set(people).size };
    },
  );

  app.post(
    '/activities/:id/signup',
    {
      schema: {
        tags,
        description:
          'One tap: a place if one is free, else the waiting list (in arrival order). Overlapping shifts of mine come back as a warning.',
        params: IdParams,
        body: EmptyBody,
        response: { 201: SignupResult, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const id = request.params.id;
      // Who may, the place or the waiting list, and the audit row: one statement.
      const { communityId } = await signUp(request, app.db, id, user.id);
      void board.publish(communityId, id);
      const seen = await signupView(app.db, id, user.id);
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
      const user = requireUser(request);
      const signupId = request.params.id;
      const { shift, promoted } = await app.db.transaction().execute(async (tx) => {
        const shift = await lockSignupShift(tx, signupId);
        if (!shift) throw new AppError(404, 'not_found');
        if (shift.userId !== user.id)
          throw new AppError(
            403,
            'forbidden',
            say(request, '只能取消自己的报名。', 'You can only cancel your own sign-up.'),
          );
        const promoted = await cancelSignup(tx, signupId, shift, user.id);
        await app.notifications.send(
          tx,
          promoted.map((p) => p.userId),
          'waitlist_promoted',
          { title: shift.title, startsAt: shift.startsAt.toISOString(), place: shift.place },
          activityLink(shift.activityId),
        );
        return { shift, promoted };
      });
      void app.notifications.refresh(promoted.map((p) => p.userId));
      void board.publish(shift.communityId, shift.activityId);
      const seen = await signupView(app.db, shift.activityId, user.id);
      if (!seen) throw new AppError(404, 'not_found');
      return toActivityView(seen.row, viewerOf(seen), seen.mine);
    },
  );

  app.get(
    '/me/shifts',
    {
      schema: {
        tags,
        description: 'My upcoming shifts, places held and waited for.',
        response: { 200: Type.Array(MyShift), ...errors(401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const rows = await shiftRowsOfUser(app.db, user.id, new Date(Date.now() - 7 * 86_400_000));
      return myShifts(app, user, rows);
    },
  );
}

/** My shifts with my standing, one relation and one batch of views per community. */
async function myShifts(app: App, user: User, rows: ActivityRow[]) {
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
  // Communities arrive grouped; people read their shifts in time order.
  return out.sort((a, b) => a.activity.startsAt.localeCompare(b.activity.startsAt));
}
