import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { TestClient } from '../../support/http.ts';
import { waitFor } from '../../support/realtime.ts';

let t: TestApp;
beforeAll(async () => {
  // Every 50 ms instead of every 15 minutes; the test waits on the rows, not on the clock.
  t = await buildTestApp({ housekeepingMs: 50 });
});
afterAll(() => t.close());

const HOUR = 3_600_000;

it('deletes expired sessions and login failures past their window, and nothing else', async () => {
  const client = new TestClient(t.app);
  const { id: userId } = await client.register('tidy');
  const db = t.app.db;
  await db
    .insertInto('sessions')
    .values([
      { id: 'expired-session', userId, expiresAt: new Date(Date.now() - HOUR) },
      { id: 'live-session', userId, expiresAt: new Date(Date.now() + HOUR) },
    ])
    .execute();
  await db
    .insertInto('loginFailures')
    .values([
      { usernameKey: 'old', createdAt: new Date(Date.now() - 2 * HOUR) },
      { usernameKey: 'recent', createdAt: new Date() },
    ])
    .execute();

  const sessionIds = async () =>
    (await db.selectFrom('sessions').select('id').execute()).map((r) => r.id);
  const failureKeys = async () =>
    (await db.selectFrom('loginFailures').select('usernameKey').execute()).map(
      (r) => r.usernameKey,
    );
  await waitFor(
    async () =>
      !(await sessionIds()).includes('expired-session') && !(await failureKeys()).includes('old'),
    'housekeeping',
    60_000,
  );
  expect(await sessionIds()).toContain('live-session');
  expect(await failureKeys()).toEqual(['recent']);
  // The signed-in session is untouched.
  expect((await client.get('/api/auth/me')).statusCode).toBe(200);
}, 90_000);
