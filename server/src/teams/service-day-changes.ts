import { EmptyBody } from '@tongxin/shared';
import { sql } from 'kysely';
import { SERVICE_DAY_HORIZON_DAYS, serviceDayStarts } from '@tongxin/shared/teams/teams';
import { chinaDay } from '@tongxin/shared/time/china';
import {
  ServiceDayChange,
  ServiceDayOutcome,
  type ServiceDayView,
} from '@tongxin/shared/teams/teams.schemas';
import {
  generateServiceDays,
  lockServiceDayRule,
  writeAudit,
  type Tx,
  type ServiceDayRule,
} from '@tongxin/db';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser, say } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { IdParams } from '../http/params.ts';
import { loadTeamsRelation, requireBelongs, requirePublisher } from './access.ts';
import { toView } from './service-days.ts';

const tags = ['teams'];

/** A rule's future shifts, locked (in id order), each with whether anyone holds or awaits a place. */
async function lockFutureShifts(tx: Tx, ruleId: string, now: Date) {
  const shifts = await tx
    .selectFrom('activities')
    .select(['id', 'startsAt'])
    .where('serviceDayRuleId', '=', ruleId)
    .where('status', '=', 'scheduled')
    .where('startsAt', '>', now)
    .orderBy('id')
    .forUpdate()
    .execute();
  if (!shifts.length) return [];
  const counts = await tx
    .selectFrom('signups')
    .select(['activityId'])
    .select((eb) => [
      eb.fn.countAll<string>().as('rows'),
      eb.fn
        .count<string>('id')
        .filterWhere('status', 'in', ['confirmed', 'waitlisted'])
        .as('people'),
    ])
    .where(
      'activityId',
      'in',
      shifts.map((s) => s.id),
    )
    .groupBy('activityId')
    .execute();
  const byId = new Map(counts.map((c) => [c.activityId, c]));
  return shifts.map((s) => ({
    ...s,
    people: Number(byId.get(s.id)?.people ?? 0),
    everSignedUp: byId.has(s.id),
  }));
}

type Shift = Awaited<ReturnType<typeof lockFutureShifts>>[number];

/**
 * Takes back a shift nobody holds or awaits a place on. One nobody ever signed up for goes
 * altogether; one with only cancelled sign-ups is called off, so those people's history stays.
 */
async function withdraw(tx: Tx, shifts: Shift[]): Promise<string[]> {
  const gone = shifts.filter((s) => !s.everSignedUp).map((s) => s.id);
  const off = shifts.filter((s) => s.everSignedUp).map((s) => s.id);
  if (gone.length) await tx.deleteFrom('activities').where('id', 'in', gone).execute();
  if (off.length)
    await tx
      .updateTable('activities')
      .set({ status: 'cancelled' })
      .where('id', 'in', off)
      .execute();
  return [...gone, ...off];
}

async function lockRule(tx: Tx, request: FastifyRequest, id: string): Promise<ServiceDayRule> {
  const rule = await lockServiceDayRule(tx, id);
  if (!rule) throw new AppError(404, 'not_found');
  if (rule.endedAt)
    throw new AppError(
      409,
      'illegal_state',
      say(
        request,
        '这条集中服务日规则已经停止，不能再修改或停止。需要时请新建一条。',
        'This service-day rule has already been ended; it cannot be changed or ended again. Add a new one if needed.',
      ),
    );
  return rule;
}

/** The rule, and the caller's standing: only who may add such a rule may change or end it. */
async function ruleAndRelation(app: App, request: FastifyRequest, id: string) {
  const rule = await app.db
    .selectFrom('serviceDayRules')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!rule) throw new AppError(404, 'not_found');
  const rel = await loadTeamsRelation(app.db, requireUser(request), rule.communityId);
  requireBelongs(request, rel);
  return { rule, rel };
}

export async function serviceDayChangeRoutes(
  app: App,
  publish: (communityId: string, activityId: string) => Promise<void>,
) {
  app.patch(
    '/service-days/:id',
    {
      schema: {
        tags,
        description:
          'Changes a 集中服务日 rule. Its future shifts nobody has signed up for follow the new rule (updated in place, withdrawn, or added); shifts people hold or await a place on stay exactly as they are.',
        params: IdParams,
        body: ServiceDayChange,
        response: { 200: ServiceDayOutcome, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { rule: before, rel } = await ruleAndRelation(app, request, request.params.id);
      const b = request.body;
      await requirePublisher(
        app.db,
        request,
        rel,
        before.teamId,
        b.membersOnly ?? before.membersOnly,
      );
      const now = new Date();
      const result = await app.db.transaction().execute(async (tx) => {
        await lockRule(tx, request, before.id);
        const rule = await tx
          .updateTable('serviceDayRules')
          .set({
            ...(b.title !== undefined ? { title: b.title.trim() } : {}),
            ...(b.description !== undefined ? { description: b.description.trim() } : {}),
            ...(b.place !== undefined ? { place: b.place.trim() } : {}),
            ...(b.daysOfMonth ? { daysOfMonth: [...b.daysOfMonth].sort((x, y) => x - y) } : {}),
            ...(b.startTime !== undefined ? { startTime: b.startTime } : {}),
            ...(b.durationMinutes !== undefined ? { durationMinutes: b.durationMinutes } : {}),
            ...(b.capacity !== undefined ? { capacity: b.capacity } : {}),
            ...(b.membersOnly !== undefined ? { membersOnly: b.membersOnly } : {}),
          })
          .where('id', '=', before.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        const shifts = await lockFutureShifts(tx, rule.id, now);
        const kept = shifts.filter((s) => s.people > 0);
        const free = shifts.filter((s) => s.people === 0);
        const wanted = new Set(
          serviceDayStarts(rule, now, SERVICE_DAY_HORIZON_DAYS).map((d) => d.getTime()),
        );
        const stay = free.filter((s) => wanted.has(s.startsAt.getTime()));
        const withdrawn = await withdraw(
          tx,
          free.filter((s) => !wanted.has(s.startsAt.getTime())),
        );
        if (stay.length)
          await tx
            .updateTable('activities')
            .set({
              title: rule.title,
              description: rule.description,
              place: rule.place,
              capacity: rule.capacity,
              membersOnly: rule.membersOnly,
              endsAt: sql<Date>`starts_at + make_interval(mins => ${rule.durationMinutes})`,
            })
            .where(
              'id',
              'in',
              stay.map((s) => s.id),
            )
            .execute();
        // A day that keeps a shift with people on it gets no second one at the new time.
        const added = await generateServiceDays(
          tx,
          rule,
          now,
          new Set(kept.map((s) => chinaDay(s.startsAt))),
        );
        const outcome = {
          kept: kept.length,
          updated: stay.length,
          withdrawn: withdrawn.length,
          added: added.length,
        };
        await writeAudit(tx, {
          actorId: rel.user.id,
          action: 'service_day.change',
          targetType: 'service_day_rule',
          targetId: rule.id,
          details: { ...b, ...outcome },
        });
        return { rule, outcome, touched: [...withdrawn, ...stay.map((s) => s.id), ...added] };
      });
      for (const id of result.touched) void publish(rel.community.id, id);
      return { rule: await toView(app.db, result.rule), ...result.outcome };
    },
  );

  app.post(
    '/service-days/:id/end',
    {
      schema: {
        tags,
        description:
          'Ends a 集中服务日 rule: it lays out no more shifts. Its future shifts nobody has signed up for are withdrawn; shifts people hold or await a place on stay.',
        params: IdParams,
        body: EmptyBody,
        response: { 200: ServiceDayOutcome, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { rule: before, rel } = await ruleAndRelation(app, request, request.params.id);
      await requirePublisher(app.db, request, rel, before.teamId, false);
      const now = new Date();
      const result = await app.db.transaction().execute(async (tx) => {
        await lockRule(tx, request, before.id);
        const rule = await tx
          .updateTable('serviceDayRules')
          .set({ endedAt: now })
          .where('id', '=', before.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        const shifts = await lockFutureShifts(tx, rule.id, now);
        const withdrawn = await withdraw(
          tx,
          shifts.filter((s) => s.people === 0),
        );
        const outcome = {
          kept: shifts.length - withdrawn.length,
          updated: 0,
          withdrawn: withdrawn.length,
          added: 0,
        };
        await writeAudit(tx, {
          actorId: rel.user.id,
          action: 'service_day.end',
          targetType: 'service_day_rule',
          targetId: rule.id,
          details: outcome,
        });
        return { rule, outcome, withdrawn };
      });
      for (const id of result.withdrawn) void publish(rel.community.id, id);
      const view: ServiceDayView = await toView(app.db, result.rule);
      return { rule: view, ...result.outcome };
    },
  );
}
