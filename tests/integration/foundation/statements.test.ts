import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import type { TestClient } from '../../support/http.ts';
import { signedIn } from '../../support/people.ts';
import { StatementCounter } from '../../support/statements.ts';
import { meetingWorld, ok, userIdOf } from '../../support/meeting-world.ts';

// Upper bounds on the SQL statements of one request (issue 19: a hall of 300 phones). Each
// is what the request costs today; a change that adds a statement fails here on purpose.
const SESSION = 1;
const BOUNDS = {
  places: SESSION + 1,
  list: SESSION + 3,
  view: SESSION + 5,
  me: SESSION + 7,
  // The vote and the actor (3), then BEGIN, the two locks, the ballot, attendance, COMMIT.
  ballot: SESSION + 9,
};

const counter = new StatementCounter();
let t: TestApp;
let resident: TestClient;
let secretary: TestClient;
let leader: TestClient;
let live: string;
let act: string;

async function roundtableId(title: string) {
  const row = await t.app.db
    .selectFrom('roundtables')
    .select('id')
    .where('title', '=', title)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The statements one request runs, after checking it answered `status`. */
async function statementsOf(client: TestClient, url: string, status = 200) {
  let code = 0;
  let body = '';
  const seen = await counter.during(async () => {
    const res = await client.get(url);
    code = res.statusCode;
    body = res.body;
  });
  expect(code, body).toBe(status);
  return seen;
}

beforeAll(async () => {
  t = await buildTestApp({
    demo: true,
    onQuery: counter.onQuery,
    rateLimit: { user: 100_000, anonymous: 100_000 },
  });
  // Started outside any counted request: timers begun by ready() are not the request's.
  await t.app.ready();
  resident = await signedIn(t.app, await userIdOf(t.app, 'resident'));
  secretary = await signedIn(t.app, await userIdOf(t.app, 'secretary'));
  leader = await signedIn(t.app, await userIdOf(t.app, 'leader'));
  live = await roundtableId('电动车充电难');
  act = await roundtableId('玻璃厂小区路灯维修');
}, 180_000);
afterAll(() => t.close());

describe('statements per request', () => {
  it('checks a session in one statement, joined to its user', async () => {
    const seen = await statementsOf(resident, '/api/places');
    expect(seen, seen.join('\n')).toHaveLength(BOUNDS.places);
    expect(seen[0]).toMatch(/from "sessions" as "s" inner join "users" as "u"/);
  });

  it('looks up no session where no user is needed', async () => {
    expect(await statementsOf(resident, '/api/health')).toEqual([]);
  });

  it('still revokes at once: a logged-out cookie is refused on the next request', async () => {
    const client = await signedIn(t.app, await userIdOf(t.app, 'volunteer'));
    const cookie = client.cookie!;
    expect((await client.post('/api/auth/logout')).statusCode).toBe(204);
    client.cookie = cookie;
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('lists roundtables with one statement for every part, however many rows', async () => {
    for (const client of [resident, secretary, leader]) {
      const seen = await statementsOf(client, '/api/roundtables');
      expect(seen.length, seen.join('\n')).toBeLessThanOrEqual(BOUNDS.list);
    }
  });

  it('opens a roundtable and the caller’s own state within their bounds', async () => {
    // A resident (every role check runs), the chair, and an item owner from above the place.
    for (const [client, id] of [
      [resident, live],
      [secretary, live],
      [leader, act],
    ] as const) {
      const view = await statementsOf(client, `/api/roundtables/${id}`);
      expect(view.length, view.join('\n')).toBeLessThanOrEqual(BOUNDS.view);
      const me = await statementsOf(client, `/api/roundtables/${id}/me`);
      expect(me.length, me.join('\n')).toBeLessThanOrEqual(BOUNDS.me);
    }
  });

  it('casts a ballot (the hot path of a hall of phones) within its bound', async () => {
    const w = await meetingWorld(t.app, 1);
    const { id } = ok<{ id: string }>(
      await w.chair.post(`/api/topics/${w.topicId}/votes`, { question: '同意吗', kind: 'yes_no' }),
      201,
    );
    let status = 0;
    const seen = await counter.during(async () => {
      status = (await w.people[0]!.client.post(`/api/votes/${id}/ballots`, { choice: 'support' }))
        .statusCode;
    });
    expect(status).toBe(201);
    expect(seen, seen.join('\n')).toHaveLength(BOUNDS.ballot);
  });
});
