import { EmptyBody } from '@tongxin/shared/auth.schemas';
import { Type } from 'typebox';
import {
  ServiceDayBody,
  ServiceDayChange,
  ServiceDayOutcome,
  ServiceDayView,
} from '@tongxin/shared/teams/teams.schemas';
import type { DbOrTx } from '@tongxin/db/create-db';
import { findTeam } from '@tongxin/db/teams/teams.queries';
import type { ServiceDayRule } from '@tongxin/db/teams/teams.tables';
import { runningRules, upcomingOfRule } from '@tongxin/db/teams/service-day-rules.queries';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { IdParams } from '../http/params.ts';
import { loadTeamsRelation, requireBelongs } from './access.ts';
import { changeServiceDay, createServiceDay, endServiceDay } from './service-days.commands.ts';

const tags = ['teams'];

async function toView(db: DbOrTx, rule: ServiceDayRule): Promise<ServiceDayView> {
  const [team, upcoming] = await Promise.all([
    rule.teamId ? findTeam(db, rule.teamId) : undefined,
    upcomingOfRule(db, rule.id, new Date()),
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

/** 集中服务日: recurring rules that lay out activities ahead. */
export async function serviceDayRoutes(app: App) {
  app.get(
    '/communities/:id/service-days',
    {
      schema: {
        tags,
        description: '集中服务日: the recurring rules and their next activities.',
        params: IdParams,
        response: { 200: Type.Array(ServiceDayView), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const rel = await loadTeamsRelation(app.db, requireUser(request), request.params.id);
      requireBelongs(request, rel);
      const rules = await runningRules(app.db, rel.community.id);
      return Promise.all(rules.map((r) => toView(app.db, r)));
    },
  );

  app.post(
    '/communities/:id/service-days',
    {
      schema: {
        tags,
        description:
          'A recurring service day (e.g. the 15th and 25th of every month); its activities for the next two months appear at once, later ones as time goes on.',
        params: IdParams,
        body: ServiceDayBody,
        response: { 201: ServiceDayView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { rule } = await createServiceDay(app, request, {
        communityId: request.params.id,
        body: request.body,
      });
      return reply.code(201).send(await toView(app.db, rule));
    },
  );

  app.patch(
    '/service-days/:id',
    {
      schema: {
        tags,
        description:
          'Changes a 集中服务日 rule. Its future activities nobody has signed up for follow the new rule (updated in place, withdrawn, or added); activities people hold or await a place on stay exactly as they are.',
        params: IdParams,
        body: ServiceDayChange,
        response: { 200: ServiceDayOutcome, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { rule, outcome } = await changeServiceDay(app, request, {
        ruleId: request.params.id,
        body: request.body,
      });
      return { rule: await toView(app.db, rule), ...outcome };
    },
  );

  app.post(
    '/service-days/:id/end',
    {
      schema: {
        tags,
        description:
          'Ends a 集中服务日 rule: it lays out no more activities. Its future activities nobody has signed up for are withdrawn; activities people hold or await a place on stay.',
        params: IdParams,
        body: EmptyBody,
        response: { 200: ServiceDayOutcome, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { rule, outcome } = await endServiceDay(app, request, { ruleId: request.params.id });
      return { rule: await toView(app.db, rule), ...outcome };
    },
  );
}
