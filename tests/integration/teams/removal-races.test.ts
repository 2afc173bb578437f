import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceDayOutcome, ServiceDayView } from '@tongxin/shared/teams/teams.schemas';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { onRealPostgres } from '../../support/database.ts';
import { residents } from '../../support/people.ts';
import { codeOf, newActivity, teamsWorld, type TeamsWorld } from './setup.ts';

// Races only show with many connections: on PGlite they run too, one at a time (and fewer).
const REPEATS = onRealPostgres() ? 10 : 1;
let t: TestApp;
let w: TeamsWorld;
let vols: Awaited<ReturnType<typeof residents>>;

beforeAll(async () => {
  t = await buildTestApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  w = await teamsWorld(t.app);
  vols = await residents(t.app, w.community, 40, '志愿者');
}, 120_000);
afterAll(() => t.close());

/** Live sign-ups (held or waited for) on the given activities, with their activity's status. */
const liveOn = (activityIds: string[]) =>
  t.app.db
    .selectFrom('signups as s')
    .innerJoin('activities as a', 'a.id', 's.activityId')
    .select(['s.id', 's.userId', 's.activityId', 'a.status as activityStatus'])
    .where('s.activityId', 'in', activityIds)
    .where('s.status', '<>', 'cancelled')
    .execute();

describe(`sign-ups racing the removal of their activity (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it(`a 集中服务日 rule change racing a stream of sign-ups withdraws only activities nobody is on (×${REPEATS})`, async () => {
    for (let run = 0; run < REPEATS; run++) {
      const made = await w.secretary.post(`/api/communities/${w.community}/service-days`, {
        title: `服务日${run}`,
        place: '社区广场',
        daysOfMonth: [10, 20],
        startTime: '09:00',
        durationMinutes: 120,
        capacity: 10,
      });
      expect(made.statusCode, made.body).toBe(201);
      const rule = made.json<ServiceDayView>();
      const ids = rule.upcoming.map((u) => u.id);
      // Sign-ups keep arriving (eight at a time, the first ten for the first day, the next ten
      // for the second …) while the change runs: the later days' first sign-ups come about
      // when it locks the activities, before or after it has withdrawn the empty ones.
      const signUps = async (lane: number) => {
        const out = [];
        for (let i = lane; i < vols.length; i += 8)
          out.push(
            await vols[i]!.client.post(
              `/api/activities/${ids[Math.min(ids.length - 1, Math.floor(i / 10))]}/signup`,
            ),
          );
        return out;
      };
      const [change, ...lanes] = await Promise.all([
        w.secretary.patch(`/api/service-days/${rule.id}`, { startTime: '10:30' }),
        ...Array.from({ length: 8 }, (_, lane) => signUps(lane)),
      ]);
      const answers = lanes.flat();
      expect(change!.statusCode, change!.body).toBe(200);
      expect(answers.filter((r) => r.statusCode >= 500)).toEqual([]);
      for (const r of answers.filter((a) => a.statusCode !== 201))
        expect(['signup_closed', 'not_found']).toContain(codeOf(r));

      const live = await liveOn(ids);
      // Nobody is left on a withdrawn activity: every live sign-up sits on a scheduled one.
      expect(live.filter((s) => s.activityStatus !== 'scheduled')).toEqual([]);
      // Every volunteer told 201 still holds or awaits that place.
      const told = answers.filter((r) => r.statusCode === 201).length;
      expect(live).toHaveLength(told);
      // The rule kept exactly the days with people on them when it looked.
      const kept = new Set(live.map((s) => s.activityId)).size;
      expect(change!.json<ServiceDayOutcome>().kept).toBe(kept);
    }
  }, 600_000);

  it(`a leader calling an activity off racing 40 sign-ups: everyone left on it is told (×${REPEATS})`, async () => {
    for (let run = 0; run < REPEATS; run++) {
      const a = await newActivity(w, 20);
      const [off, ...answers] = await Promise.all([
        w.leader.post(`/api/activities/${a.id}/cancel`),
        ...vols.map((v) => v.client.post(`/api/activities/${a.id}/signup`)),
      ]);
      expect(off!.statusCode, off!.body).toBe(200);
      expect(answers.filter((r) => r.statusCode >= 500)).toEqual([]);
      for (const r of answers.filter((x) => x.statusCode !== 201))
        expect(codeOf(r)).toBe('signup_closed');
      const live = await liveOn([a.id]);
      expect(live).toHaveLength(answers.filter((r) => r.statusCode === 201).length);
      // No sign-up slipped in after the call-off: each person on it got the notice.
      const notified = await t.app.db
        .selectFrom('notifications')
        .select('userId')
        .where('kind', '=', 'activity_cancelled')
        .where('link', '=', `/teams/activities/${a.id}`)
        .execute();
      expect(new Set(notified.map((n) => n.userId))).toEqual(new Set(live.map((s) => s.userId)));
    }
  }, 600_000);
});
