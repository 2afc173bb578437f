import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ServiceDayOutcome,
  ServiceDayView,
  SignupResult,
} from '@tongxin/shared/teams/teams.schemas';
import { generateAllServiceDays } from '@tongxin/db/teams/service-days.queries';
import { chinaDay, chinaParts } from '@tongxin/shared/time/china';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { residents } from '../../support/people.ts';
import { codeOf, teamsWorld, type TeamsWorld } from './setup.ts';

let t: TestApp;
let w: TeamsWorld;

beforeAll(async () => {
  t = await buildTestApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  w = await teamsWorld(t.app);
}, 120_000);
afterAll(() => t.close());

const hourOf = (iso: string | Date) => chinaParts(new Date(iso)).hour;
const dayOf = (iso: string | Date) => chinaDay(new Date(iso));
const activitiesOf = (ruleId: string) =>
  t.app.db
    .selectFrom('activities')
    .selectAll()
    .where('serviceDayRuleId', '=', ruleId)
    .where('startsAt', '>', new Date())
    .orderBy('startsAt')
    .execute();

async function newRule(): Promise<ServiceDayView> {
  const res = await w.secretary.post(`/api/communities/${w.community}/service-days`, {
    title: '集中服务日',
    place: '社区广场',
    daysOfMonth: [10, 20],
    startTime: '09:00',
    durationMinutes: 120,
    capacity: 10,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<ServiceDayView>();
}

describe('changing and ending a 集中服务日 rule', () => {
  it('a change moves the activities nobody signed up for and leaves the one with people alone', async () => {
    const rule = await newRule();
    const n = rule.upcoming.length;
    expect(n).toBeGreaterThanOrEqual(3);
    const taken = rule.upcoming[0]!;
    const [v] = await residents(t.app, w.community, 1);
    expect((await v!.client.post(`/api/activities/${taken.id}/signup`)).statusCode).toBe(201);

    const res = await w.secretary.patch(`/api/service-days/${rule.id}`, {
      title: '集中服务日（新）',
      startTime: '10:30',
      capacity: 12,
    });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json<ServiceDayOutcome>();
    expect(out).toMatchObject({ kept: 1, updated: 0, withdrawn: n - 1 });
    expect(out.rule).toMatchObject({ title: '集中服务日（新）', startTime: '10:30', capacity: 12 });

    const activities = await activitiesOf(rule.id);
    const kept = activities.find((s) => s.id === taken.id)!;
    // Kept exactly as it was: the old time, title and capacity.
    expect(kept).toMatchObject({ title: '集中服务日', capacity: 10, status: 'scheduled' });
    expect(hourOf(kept.startsAt)).toBe(9);
    const others = activities.filter((s) => s.id !== taken.id);
    expect(others.length).toBe(out.added);
    for (const s of others) {
      expect(hourOf(s.startsAt)).toBe(10);
      expect(chinaParts(new Date(s.startsAt)).minute).toBe(30);
      expect(s).toMatchObject({ title: '集中服务日（新）', capacity: 12 });
      expect(s.endsAt.getTime() - s.startsAt.getTime()).toBe(120 * 60_000);
    }
    // The day with people on it gets no second activity at the new time.
    expect(new Set(activities.map((s) => dayOf(s.startsAt))).size).toBe(activities.length);

    // Only the title and length change: the free activities are updated in place, none withdrawn.
    const again = await w.secretary.patch(`/api/service-days/${rule.id}`, {
      description: '带好手套',
      durationMinutes: 180,
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<ServiceDayOutcome>()).toMatchObject({
      kept: 1,
      updated: others.length,
      withdrawn: 0,
      added: 0,
    });
    for (const s of (await activitiesOf(rule.id)).filter((s) => s.id !== taken.id)) {
      expect(s.description).toBe('带好手套');
      expect(s.endsAt.getTime() - s.startsAt.getTime()).toBe(180 * 60_000);
    }
    expect((await activitiesOf(rule.id)).find((s) => s.id === taken.id)!.description).toBe('');

    const audit = await t.app.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', rule.id)
      .execute();
    expect(audit.map((a) => a.action).filter((a) => a === 'service_day.change')).toHaveLength(2);
  });

  it('ending a rule withdraws its free activities, keeps the taken one and lays out no more', async () => {
    const rule = await newRule();
    const taken = rule.upcoming[1]!;
    const [v, quitter] = await residents(t.app, w.community, 2);
    expect((await v!.client.post(`/api/activities/${taken.id}/signup`)).statusCode).toBe(201);
    // Someone signed up and cancelled: that activity is called off, not deleted.
    const cancelledOn = rule.upcoming[0]!;
    const s = await quitter!.client.post(`/api/activities/${cancelledOn.id}/signup`);
    expect(s.statusCode, s.body).toBe(201);
    const signupId = s.json<SignupResult>().activity.mine!.id;
    expect((await quitter!.client.post(`/api/signups/${signupId}/cancel`)).statusCode).toBe(200);

    const res = await w.secretary.post(`/api/service-days/${rule.id}/end`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<ServiceDayOutcome>()).toMatchObject({
      kept: 1,
      withdrawn: rule.upcoming.length - 1,
    });
    const left = await activitiesOf(rule.id);
    expect(left.filter((a) => a.status === 'scheduled').map((a) => a.id)).toEqual([taken.id]);
    expect(left.filter((a) => a.status === 'cancelled').map((a) => a.id)).toEqual([cancelledOn.id]);

    await generateAllServiceDays(t.app.db);
    expect(await activitiesOf(rule.id)).toHaveLength(2);
    const list = await w.secretary.get(`/api/communities/${w.community}/service-days`);
    expect(list.json<ServiceDayView[]>().some((r) => r.id === rule.id)).toBe(false);

    const twice = await w.secretary.post(`/api/service-days/${rule.id}/end`, {});
    expect(twice.statusCode).toBe(409);
    expect(codeOf(twice)).toBe('service_day_ended');
    const change = await w.secretary.patch(`/api/service-days/${rule.id}`, { capacity: 3 });
    expect(change.statusCode).toBe(409);
    expect(codeOf(change)).toBe('service_day_ended');
  });

  it('only who may add a rule may change or end it; bad bodies get a 400', async () => {
    const rule = await newRule();
    const [r] = await residents(t.app, w.community, 1);
    expect(
      (await r!.client.patch(`/api/service-days/${rule.id}`, { capacity: 3 })).statusCode,
    ).toBe(403);
    expect((await r!.client.post(`/api/service-days/${rule.id}/end`, {})).statusCode).toBe(403);
    // A leader cannot change a community-wide rule either.
    expect((await w.leader.post(`/api/service-days/${rule.id}/end`, {})).statusCode).toBe(403);
    for (const bad of [{}, { daysOfMonth: [] }, { startTime: '24:00' }, { teamId: w.teamId }]) {
      const res = await w.secretary.patch(`/api/service-days/${rule.id}`, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(['validation_failed', 'unknown_field']).toContain(codeOf(res));
    }
    const missing = await w.secretary.post(
      '/api/service-days/00000000-0000-4000-8000-000000000000/end',
      {},
    );
    expect(missing.statusCode).toBe(404);
    // Nothing above changed the rule.
    const list = await w.secretary.get(`/api/communities/${w.community}/service-days`);
    expect(list.json<ServiceDayView[]>().find((x) => x.id === rule.id)).toMatchObject({
      capacity: 10,
      upcoming: rule.upcoming,
    });
  });
});
