import { Type } from 'typebox';
import { serviceDayChangeRoutes } from './service-day-changes.ts';
import { ServiceDayBody, ServiceDayView } from '@tongxin/shared/teams/teams.schemas';
import {
  findTeam,
  generateServiceDays,
  writeAudit,
  type DbOrTx,
  type ServiceDayRule,
} from '@tongxin/db';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { loadTeamsRelation, requireBelongs, requirePublisher } from './access.ts';
import { IdParams } from '../http/params.ts';

const tags = ['teams'];

export async function toView(db: DbOrTx, rule: ServiceDayRule): Promise<ServiceDayView> {
  const [team, upcoming] = await Promise.all([
    rule.teamId ? findTeam(db, rule.teamId) : undefined,
    db
      .selectFrom('activities')
      .select(['id', 'startsAt'])
      .where('serviceDayRuleId', '=', rule.id)
      .where('status', '=', 'scheduled')
      .where('startsAt', '>', new Date())
      .orderBy('startsAt')
      .limit(6)
      .execute(),
  ]);
  return {
    id: rule.id,
    title: rule.title,
    description: rule.description,
    place: rule.place,
    team: team ? { id: team.id, name: team.name } : null,
    daysOfMonth: rule.daysOfMonth,
    startTime: rule.startTime,
    durationMinutes: rule.durationMinutes,
    capacity: rule.capacity,
    membersOnly: rule.membersOnly,
    upcoming: upcoming.map((u) => ({ id: u.id, startsAt: u.startsAt.toISOString() })),
  };
}

export async function serviceDayRoutes(
  app: App,
  publish: (communityId: string, activityId: string) => Promise<void>,
) {
  app.get(
    '/communities/:id/service-days',
    {
      schema: {
        tags,
        description: '集中服务日: the recurring rules and their next shifts.',
        params: IdParams,
        response: { 200: Type.Array(ServiceDayView), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const rel = await loadTeamsRelation(app.db, requireUser(request), request.params.id);
      requireBelongs(request, rel);
      const rules = await app.db
        .selectFrom('serviceDayRules')
        .selectAll()
        .where('communityId', '=', rel.community.id)
        .where('endedAt', 'is', null)
        .orderBy('createdAt')
        .execute();
      return Promise.all(rules.map((r) => toView(app.db, r)));
    },
  );

  app.post(
    '/communities/:id/service-days',
    {
      schema: {
        tags,
        description:
          'A recurring service day (e.g. the 15th and 25th of every month); its shifts for the next two months appear at once, later ones as time goes on.',
        params: IdParams,
        body: ServiceDayBody,
        response: { 201: ServiceDayView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const rel = await loadTeamsRelation(app.db, user, request.params.id);
      const b = request.body;
      const teamId = b.teamId ?? null;
      await requirePublisher(app.db, request, rel, teamId, b.membersOnly ?? false);
      const { rule, ids } = await app.db.transaction().execute(async (tx) => {
        const rule = await tx
          .insertInto('serviceDayRules')
          .values({
            communityId: rel.community.id,
            teamId,
            title: b.title.trim(),
            description: b.description?.trim() ?? '',
            place: b.place.trim(),
            daysOfMonth: [...b.daysOfMonth].sort((x, y) => x - y),
            startTime: b.startTime,
            durationMinutes: b.durationMinutes,
            capacity: b.capacity,
            membersOnly: b.membersOnly ?? false,
            createdBy: user.id,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const ids = await generateServiceDays(tx, rule);
        await writeAudit(tx, {
          actorId: user.id,
          action: 'service_day.create',
          targetType: 'service_day_rule',
          targetId: rule.id,
          details: { shifts: ids.length },
        });
        return { rule, ids };
      });
      for (const id of ids) void publish(rel.community.id, id);
      return reply.code(201).send(await toView(app.db, rule));
    },
  );

  await serviceDayChangeRoutes(app, publish);
}
