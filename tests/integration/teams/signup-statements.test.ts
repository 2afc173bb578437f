import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignupResult } from '@tongxin/shared/teams/teams.schemas';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { onRealPostgres } from '../../support/database.ts';
import { residents } from '../../support/people.ts';
import type { TestClient } from '../../support/http.ts';
import { StatementCounter } from '../../support/statements.ts';
import { newActivity, teamsWorld, type TeamsWorld } from './setup.ts';

const counter = new StatementCounter();
let t: TestApp;
let w: TeamsWorld;
beforeAll(async () => {
  t = await buildTestApp({ demo: true, onQuery: counter.onQuery });
  w = await teamsWorld(t.app);
}, 60_000);
afterAll(() => t.close());

describe(`statements per sign-up (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('one sign-up costs a few statements, however many activities the volunteer already holds', async () => {
    const [vol] = await residents(t.app, w.community, 1, '志愿者');
    const target = await newActivity(w, 5, {}, 48);
    // History: twenty later activities held, and one overlapping the target.
    for (let i = 0; i < 20; i++) {
      const s = await newActivity(w, 5, {}, 100 + i * 3);
      expect((await vol!.client.post(`/api/activities/${s.id}/signup`)).statusCode).toBe(201);
    }
    const clash = await newActivity(w, 5, {}, 47);
    expect((await vol!.client.post(`/api/activities/${clash.id}/signup`)).statusCode).toBe(201);

    let res: Awaited<ReturnType<TestClient['post']>> | undefined;
    const seen = await counter.during(async () => {
      res = await vol!.client.post(`/api/activities/${target.id}/signup`);
    });
    expect(res!.statusCode, res!.body).toBe(201);
    const body = res!.json<SignupResult>();
    expect(body.activity.mine?.status).toBe('confirmed');
    expect(body.overlaps.map((o) => o.id)).toEqual([clash.id]);
    // One is the session check; two are the sign-up and its view.
    expect(seen.length, seen.join('\n')).toBeLessThanOrEqual(3);
  }, 60_000);

  it('a cancel is two statements in its transaction: the activity lock and the cancel', async () => {
    const [vol] = await residents(t.app, w.community, 1, '志愿者');
    const target = await newActivity(w, 5, {}, 48);
    const signed = await vol!.client.post(`/api/activities/${target.id}/signup`);
    const signupId = signed.json<SignupResult>().activity.mine!.id;
    let res: Awaited<ReturnType<TestClient['post']>> | undefined;
    const seen = await counter.during(async () => {
      res = await vol!.client.post(`/api/signups/${signupId}/cancel`);
    });
    expect(res!.statusCode, res!.body).toBe(200);
    const begin = seen.findIndex((q) => /^begin/i.test(q));
    const commit = seen.findIndex((q) => /^commit/i.test(q));
    expect(begin, seen.join('\n')).toBeGreaterThanOrEqual(0);
    expect(commit - begin - 1, seen.join('\n')).toBe(2);
  }, 60_000);
});
