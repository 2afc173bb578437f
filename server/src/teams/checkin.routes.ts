import { Type } from 'typebox';
import { checkInOpen, pointsForMinutes, shiftMinutes } from '@tongxin/shared/teams/teams';
import { chinaShortMoment } from '@tongxin/shared/time/china';
import {
  AttendanceBody,
  CheckInBody,
  HoursBody,
  MySignup,
  Roster,
  RosterEntry,
} from '@tongxin/shared/teams/teams.schemas';
import {
  appendLedger,
  findActivityByCode,
  findActivityRow,
  findSignup,
  rosterRow,
  rosterRows,
  writeAudit,
  type RosterRow,
  type Signup,
  type Tx,
} from '@tongxin/db';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requestLocale, requireUser, say } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import type { TeamsBoard } from './board.ts';

import { loadTeamsRelation, requireBelongs, requireManager } from './access.ts';
import { activityViews } from './activities.routes.ts';
import { csvCell } from '../http/csv.ts';
import { toMySignup } from './views.ts';
import { IdParams } from '../http/params.ts';

const tags = ['teams'];

const toRosterEntry = (r: RosterRow): RosterEntry => ({
  signupId: r.id,
  user: { id: r.userId, name: r.name },
  phone: r.phone,
  status: r.status,
  arrival: r.arrival,
  attendance: r.attendance,
  checkedInAt: r.checkedInAt?.toISOString() ?? null,
  serviceMinutes: r.serviceMinutes,
});

/** Takes back the points a confirmed shift earned, as a new ledger entry. */
async function reverseHours(tx: Tx, signup: Signup, communityId: string, actorId: string) {
  const points = pointsForMinutes(signup.serviceMinutes ?? 0);
  if (points > 0)
    await appendLedger(tx, {
      userId: signup.userId,
      communityId,
      delta: -points,
      reason: 'hours_reversed',
      signupId: signup.id,
      createdBy: actorId,
    });
}

async function lockSignup(tx: Tx, id: string): Promise<Signup> {
  return tx
    .selectFrom('signups')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** A signup on a shift this person keeps (leader or secretary), with the shift. */
async function managedSignup(app: App, request: FastifyRequest, id: string) {
  const signup = await findSignup(app.db, id);
  if (!signup) throw new AppError(404, 'not_found');
  const activity = (await findActivityRow(app.db, signup.activityId))!;
  const rel = await loadTeamsRelation(app.db, requireUser(request), activity.communityId);
  requireManager(request, rel, activity.teamId);
  return { signup, activity, rel };
}

export async function checkinRoutes(app: App, board: TeamsBoard) {
  app.get(
    '/activities/:id/roster',
    {
      schema: {
        tags,
        description:
          "The leader's roster: places, waiting list, check-ins and hours; and the QR check-in code.",
        params: IdParams,
        response: { 200: Roster, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const row = await findActivityRow(app.db, request.params.id);
      if (!row) throw new AppError(404, 'not_found');
      const rel = await loadTeamsRelation(app.db, requireUser(request), row.communityId);
      requireManager(request, rel, row.teamId);
      const [entries, [view]] = await Promise.all([
        rosterRows(app.db, row.id),
        activityViews(app, [row], rel),
      ]);
      return {
        activity: view!,
        entries: entries.map(toRosterEntry),
        checkinCode: row.checkinCode,
        defaultMinutes: shiftMinutes(row),
      };
    },
  );

  app.get(
    '/activities/:id/roster.csv',
    {
      schema: {
        tags,
        description: 'The roster as CSV (UTF-8 with BOM, for Excel).',
        params: IdParams,
        response: { 200: Type.String(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const row = await findActivityRow(app.db, request.params.id);
      if (!row) throw new AppError(404, 'not_found');
      const rel = await loadTeamsRelation(app.db, requireUser(request), row.communityId);
      requireManager(request, rel, row.teamId);
      const en = requestLocale(request) === 'en';
      const head = en
        ? ['Name', 'Phone', 'Status', 'Order', 'Attendance', 'Checked in', 'Hours']
        : ['姓名', '电话', '状态', '报名顺序', '出勤', '签到时间', '服务时长(小时)'];
      const words = en
        ? {
            confirmed: 'Confirmed',
            waitlisted: 'Waiting',
            cancelled: 'Cancelled',
            pending: '',
            present: 'Present',
            no_show: 'No-show',
          }
        : {
            confirmed: '已确认',
            waitlisted: '候补',
            cancelled: '已取消',
            pending: '',
            present: '已到',
            no_show: '缺席',
          };
      const lines = (await rosterRows(app.db, row.id)).map((r) =>
        [
          r.name,
          r.phone,
          words[r.status],
          r.arrival,
          words[r.attendance],
          r.checkedInAt?.toISOString() ?? '',
          r.serviceMinutes === null ? '' : Math.round((r.serviceMinutes / 60) * 100) / 100,
        ]
          .map(csvCell)
          .join(','),
      );
      const file = `roster-${row.startsAt.toISOString().slice(0, 10)}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file}"`)
        .send('\uFEFF' + [head.join(','), ...lines].join('\r\n') + '\r\n');
    },
  );

  app.post(
    '/checkin',
    {
      schema: {
        tags,
        description:
          'The volunteer scans the QR code shown at the site: their confirmed place is marked present.',
        body: CheckInBody,
        response: {
          200: Type.Object({ activityId: Type.String(), title: Type.String(), signup: MySignup }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const activity = await findActivityByCode(app.db, request.body.code);
      if (!activity)
        throw new AppError(
          404,
          'not_found',
          say(
            request,
            '签到码无效，请重新扫描现场的二维码。',
            'Unknown check-in code; scan the code at the site again.',
          ),
        );
      const rel = await loadTeamsRelation(app.db, user, activity.communityId);
      requireBelongs(request, rel);
      if (activity.status === 'cancelled') throw new AppError(409, 'signup_closed');
      if (!checkInOpen(activity, new Date())) throw new AppError(409, 'checkin_closed');
      const signup = await app.db.transaction().execute(async (tx) => {
        const mine = await tx
          .selectFrom('signups')
          .selectAll()
          .where('activityId', '=', activity.id)
          .where('userId', '=', user.id)
          .where('status', '=', 'confirmed')
          .forUpdate()
          .executeTakeFirst();
        if (!mine) throw new AppError(409, 'not_signed_up');
        if (mine.attendance === 'present') return mine;
        const updated = await tx
          .updateTable('signups')
          .set({ attendance: 'present', checkedInAt: new Date(), checkedInBy: user.id })
          .where('id', '=', mine.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await writeAudit(tx, {
          actorId: user.id,
          action: 'signup.checkin',
          targetType: 'signup',
          targetId: mine.id,
          details: { method: 'qr' },
        });
        return updated;
      });
      void board.publish(activity.communityId, activity.id);
      return { activityId: activity.id, title: activity.title, signup: toMySignup(signup) };
    },
  );

  app.post(
    '/signups/:id/attendance',
    {
      schema: {
        tags,
        description:
          'The leader marks a confirmed volunteer present or absent, or undoes it. Undoing a check-in whose hours were confirmed takes the points back with a new ledger entry.',
        params: IdParams,
        body: AttendanceBody,
        response: { 200: RosterEntry, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { signup, activity, rel } = await managedSignup(app, request, request.params.id);
      const wanted = request.body.attendance;
      await app.db.transaction().execute(async (tx) => {
        const current = await lockSignup(tx, signup.id);
        if (current.status !== 'confirmed')
          throw new AppError(
            409,
            'illegal_state',
            say(
              request,
              '只有确认报名的队员可以签到。',
              'Only people holding a place can be checked in.',
            ),
          );
        if (current.attendance === wanted) return;
        if (current.hoursConfirmedAt)
          await reverseHours(tx, current, activity.communityId, rel.user.id);
        await tx
          .updateTable('signups')
          .set({
            attendance: wanted,
            checkedInAt: wanted === 'present' ? new Date() : null,
            checkedInBy: wanted === 'present' ? rel.user.id : null,
            serviceMinutes: null,
            hoursConfirmedAt: null,
            hoursConfirmedBy: null,
          })
          .where('id', '=', signup.id)
          .execute();
        await writeAudit(tx, {
          actorId: rel.user.id,
          action: 'signup.attendance',
          targetType: 'signup',
          targetId: signup.id,
          details: { from: current.attendance, to: wanted, method: 'roster' },
        });
      });
      void board.publish(activity.communityId, activity.id);
      return toRosterEntry(await rosterRow(app.db, signup.id));
    },
  );

  app.post(
    '/signups/:id/hours',
    {
      schema: {
        tags,
        description:
          "The leader confirms a present volunteer's service time; points are credited per hour through the ledger. Confirming again corrects it with a reversal and a new credit.",
        params: IdParams,
        body: HoursBody,
        response: { 200: RosterEntry, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { signup, activity, rel } = await managedSignup(app, request, request.params.id);
      const minutes = request.body.minutes;
      // Service not yet begun cannot be vouched for: hours (and the points they earn) wait for the start.
      if (new Date() < activity.startsAt)
        throw new AppError(
          409,
          'illegal_state',
          say(
            request,
            `这个班次 ${chinaShortMoment(activity.startsAt)} 才开始，开始后才能确认服务时长和积分。`,
            `This shift starts at ${chinaShortMoment(activity.startsAt)} (China time); hours and points can be confirmed once it has started.`,
          ),
        );
      await app.db.transaction().execute(async (tx) => {
        const current = await lockSignup(tx, signup.id);
        if (current.attendance !== 'present')
          throw new AppError(
            409,
            'illegal_state',
            say(
              request,
              '请先为这位队员签到，再确认时长。',
              'Check the volunteer in before confirming hours.',
            ),
          );
        if (current.hoursConfirmedAt && current.serviceMinutes === minutes) return;
        if (current.hoursConfirmedAt)
          await reverseHours(tx, current, activity.communityId, rel.user.id);
        await tx
          .updateTable('signups')
          .set({
            serviceMinutes: minutes,
            hoursConfirmedAt: new Date(),
            hoursConfirmedBy: rel.user.id,
          })
          .where('id', '=', signup.id)
          .execute();
        const points = pointsForMinutes(minutes);
        if (points > 0)
          await appendLedger(tx, {
            userId: signup.userId,
            communityId: activity.communityId,
            delta: points,
            reason: 'service_hours',
            signupId: signup.id,
            createdBy: rel.user.id,
          });
        await writeAudit(tx, {
          actorId: rel.user.id,
          action: 'signup.hours',
          targetType: 'signup',
          targetId: signup.id,
          details: { minutes, points },
        });
      });
      return toRosterEntry(await rosterRow(app.db, signup.id));
    },
  );
}
