import { Type } from 'typebox';
import { activityMinutes } from '@tongxin/shared/teams/teams';
import {
  AttendanceBody,
  CheckInBody,
  HoursBody,
  MySignup,
  Roster,
  RosterEntry,
} from '@tongxin/shared/teams/teams.schemas';
import {
  findActivityRow,
  rosterRow,
  rosterRows,
  type RosterRow,
} from '@tongxin/db/teams/teams.queries';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requestLocale, requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { loadTeamsRelation, requireManager } from './access.ts';
import { activityViews } from './activities.routes.ts';
import { checkIn, confirmHours, markAttendance } from './checkin.commands.ts';
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

/** An activity's roster is for its keepers: its team's leaders and the secretary. */
async function managedActivity(app: App, request: FastifyRequest, id: string) {
  const row = await findActivityRow(app.db, id);
  if (!row) throw new AppError(404, 'not_found');
  const rel = await loadTeamsRelation(app.db, requireUser(request), row.communityId);
  requireManager(rel, row.teamId);
  return { row, rel };
}

export async function checkinRoutes(app: App) {
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
      const { row, rel } = await managedActivity(app, request, request.params.id);
      const [entries, [view]] = await Promise.all([
        rosterRows(app.db, row.id),
        activityViews(app, [row], rel),
      ]);
      return {
        activity: view!,
        entries: entries.map(toRosterEntry),
        checkinCode: row.checkinCode,
        defaultMinutes: activityMinutes(row),
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
      const { row } = await managedActivity(app, request, request.params.id);
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
      const done = await checkIn(app, request, { code: request.body.code });
      return { activityId: done.activityId, title: done.title, signup: toMySignup(done.signup) };
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
      const signupId = request.params.id;
      await markAttendance(app, request, { signupId, body: request.body });
      return toRosterEntry(await rosterRow(app.db, signupId));
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
      const signupId = request.params.id;
      await confirmHours(app, request, { signupId, body: request.body });
      return toRosterEntry(await rosterRow(app.db, signupId));
    },
  );
}
