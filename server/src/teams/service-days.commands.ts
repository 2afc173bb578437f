import type { Transaction } from 'kysely';
import { SERVICE_DAY_HORIZON_DAYS, serviceDayStarts } from '@tongxin/shared/teams/teams';
import { chinaDay } from '@tongxin/shared/time/china';
import type { ServiceDayBody, ServiceDayChange } from '@tongxin/shared/teams/teams.schemas';
import type { Database } from '@tongxin/db/database';
import { generateServiceDays, lockServiceDayRule } from '@tongxin/db/teams/service-days.queries';
import { findTeam } from '@tongxin/db/teams/teams.queries';
import type { ServiceDayRule } from '@tongxin/db/teams/teams.tables';
import {
  findRule,
  followRule,
  insertRule,
  lockFutureActivities,
  updateRule,
  withdrawActivities,
} from '@tongxin/db/teams/service-day-rules.queries';
import { AppError, refuse } from '../http/app-error.ts';
import type { App } from '../http/types.ts';
import { requirePublisher } from './access.ts';
import { noLock, teamsCommand } from './command.ts';

/** What a change did to the rule's future activities. */
export interface Outcome {
  kept: number;
  updated: number;
  withdrawn: number;
  added: number;
}

/** A running rule, locked: changes, ends and the top-up tick queue here (before its activities). */
async function lockRunningRule(tx: Transaction<Database>, id: string): Promise<ServiceDayRule> {
  const rule = await lockServiceDayRule(tx, id);
  if (!rule) throw new AppError(404, 'not_found');
  if (rule.endedAt) throw refuse('service_day_ended');
  return rule;
}

/** The rule, and its team to judge who may (only who may add such a rule may change it). */
async function ruleOf(app: App, id: string) {
  const rule = await findRule(app.db, id);
  if (!rule) throw new AppError(404, 'not_found');
  return { ...rule, team: rule.teamId ? await findTeam(app.db, rule.teamId) : undefined };
}

/**
 * A recurring service day (集中服务日, e.g. the 15th and 25th of every month); its activities for
 * the next two months appear at once, later ones as time goes on.
 */
export const createServiceDay = teamsCommand({
  async target(app, _request, input: { communityId: string; body: ServiceDayBody }) {
    const teamId = input.body.teamId ?? null;
    return {
      communityId: input.communityId,
      teamId,
      team: teamId ? await findTeam(app.db, teamId) : undefined,
    };
  },
  may: ({ rel, target }, { body }) =>
    requirePublisher(rel, target.teamId, target.team, body.membersOnly ?? false),
  lock: noLock,
  async run(tx, { rel, target }, _locked, { body }) {
    const rule = await insertRule(tx, {
      communityId: rel.community.id,
      teamId: target.teamId,
      title: body.title.trim(),
      description: body.description?.trim() ?? '',
      place: body.place.trim(),
      daysOfMonth: [...body.daysOfMonth].sort((x, y) => x - y),
      startTime: body.startTime,
      durationMinutes: body.durationMinutes,
      capacity: body.capacity,
      membersOnly: body.membersOnly ?? false,
      createdBy: rel.user.id,
    });
    return { rule, activities: await generateServiceDays(tx, rule) };
  },
  audit: {
    action: 'service_day.create',
    entry: ({ rel }, _input, { rule, activities }) => ({
      actorId: rel.user.id,
      targetType: 'service_day_rule',
      targetId: rule.id,
      details: { activities: activities.length },
    }),
  },
  effects: (app, { rel }) => app.teamsBoard.publish(rel.community.id),
});

/**
 * Changes a rule. Its future activities nobody has signed up for follow the new rule (updated in
 * place, withdrawn, or added); activities people hold or await a place on stay exactly as they are.
 */
export const changeServiceDay = teamsCommand({
  target: (app, _request, input: { ruleId: string; body: ServiceDayChange }) =>
    ruleOf(app, input.ruleId),
  may: ({ rel, target }, { body }) =>
    requirePublisher(rel, target.teamId, target.team, body.membersOnly ?? target.membersOnly),
  lock: (tx, { target }) => lockRunningRule(tx, target.id),
  async run(tx, _ctx, before, { body: b }) {
    const now = new Date();
    const rule = await updateRule(tx, before.id, {
      ...(b.title !== undefined ? { title: b.title.trim() } : {}),
      ...(b.description !== undefined ? { description: b.description.trim() } : {}),
      ...(b.place !== undefined ? { place: b.place.trim() } : {}),
      ...(b.daysOfMonth ? { daysOfMonth: [...b.daysOfMonth].sort((x, y) => x - y) } : {}),
      ...(b.startTime !== undefined ? { startTime: b.startTime } : {}),
      ...(b.durationMinutes !== undefined ? { durationMinutes: b.durationMinutes } : {}),
      ...(b.capacity !== undefined ? { capacity: b.capacity } : {}),
      ...(b.membersOnly !== undefined ? { membersOnly: b.membersOnly } : {}),
    });
    const activities = await lockFutureActivities(tx, rule.id, now);
    const kept = activities.filter((s) => s.people > 0);
    const free = activities.filter((s) => s.people === 0);
    const wanted = new Set(
      serviceDayStarts(rule, now, SERVICE_DAY_HORIZON_DAYS).map((d) => d.getTime()),
    );
    const stay = free.filter((s) => wanted.has(s.startsAt.getTime()));
    const withdrawn = await withdrawActivities(
      tx,
      free.filter((s) => !wanted.has(s.startsAt.getTime())),
    );
    await followRule(
      tx,
      rule,
      stay.map((s) => s.id),
    );
    // A day that keeps an activity with people on it gets no second one at the new time.
    const added = await generateServiceDays(
      tx,
      rule,
      now,
      new Set(kept.map((s) => chinaDay(s.startsAt))),
    );
    const outcome: Outcome = {
      kept: kept.length,
      updated: stay.length,
      withdrawn: withdrawn.length,
      added: added.length,
    };
    return { rule, outcome };
  },
  audit: {
    action: 'service_day.change',
    entry: ({ rel }, { body }, { rule, outcome }) => ({
      actorId: rel.user.id,
      targetType: 'service_day_rule',
      targetId: rule.id,
      details: { ...body, ...outcome },
    }),
  },
  effects: (app, { rel }) => app.teamsBoard.publish(rel.community.id),
});

/**
 * Ends a rule: it lays out no more activities. Its future activities nobody has signed up for are
 * withdrawn; activities people hold or await a place on stay.
 */
export const endServiceDay = teamsCommand({
  target: (app, _request, input: { ruleId: string }) => ruleOf(app, input.ruleId),
  may: ({ rel, target }) => requirePublisher(rel, target.teamId, target.team, false),
  lock: (tx, { target }) => lockRunningRule(tx, target.id),
  async run(tx, _ctx, before) {
    const now = new Date();
    const rule = await updateRule(tx, before.id, { endedAt: now });
    const activities = await lockFutureActivities(tx, rule.id, now);
    const withdrawn = await withdrawActivities(
      tx,
      activities.filter((s) => s.people === 0),
    );
    const outcome: Outcome = {
      kept: activities.length - withdrawn.length,
      updated: 0,
      withdrawn: withdrawn.length,
      added: 0,
    };
    return { rule, outcome };
  },
  audit: {
    action: 'service_day.end',
    entry: ({ rel }, _input, { rule, outcome }) => ({
      actorId: rel.user.id,
      targetType: 'service_day_rule',
      targetId: rule.id,
      details: { ...outcome },
    }),
  },
  effects: (app, { rel }) => app.teamsBoard.publish(rel.community.id),
});
