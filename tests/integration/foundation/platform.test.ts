import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { TestClient } from '../../support/http.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('rate limiting', () => {
  it('budgets signed-in users one by one, so a hall behind one address is not throttled', async () => {
    t = await buildTestApp({ rateLimit: { user: 4, anonymous: 6 } });
    const residents: TestClient[] = [];
    for (let i = 0; i < 3; i++) {
      const c = new TestClient(t.app);
      await c.register(`hall-${i}`); // 3 anonymous requests from the one address
      residents.push(c);
    }
    for (const r of residents)
      for (let i = 0; i < 4; i++) expect((await r.get('/api/auth/me')).statusCode).toBe(200);
    const over = await residents[0]!.get('/api/auth/me');
    expect(over.statusCode).toBe(429);
    expect(over.json().error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringContaining('稍后'),
    });
    expect(over.headers['retry-after']).toBeDefined();
    // One resident running out leaves everyone else's budget whole.
    const fresh = new TestClient(t.app);
    await fresh.register('hall-late');
    expect((await fresh.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('limits anonymous callers by address', async () => {
    t = await buildTestApp({ rateLimit: { user: 100, anonymous: 3 } });
    const anon = new TestClient(t.app);
    for (let i = 0; i < 3; i++) expect((await anon.get('/api/places')).statusCode).toBe(200);
    expect((await anon.get('/api/places')).statusCode).toBe(429);
  });

  it('counts a percent-encoded path (/%61pi/…) against the same budget as /api/…', async () => {
    t = await buildTestApp({ rateLimit: { user: 100, anonymous: 3, login: 3 } });
    const anon = new TestClient(t.app);
    const guess = (path: string) => anon.post(path, { username: 'nobody', password: 'guess' });
    // The router decodes these to the login route: they must not skip its limit.
    expect((await guess('/%61pi/auth/login')).statusCode).toBe(401);
    expect((await guess('/%61%70%69/auth/login')).statusCode).toBe(401);
    expect((await guess('/api/auth/login')).statusCode).toBe(401);
    expect((await guess('/%61pi/auth/login')).statusCode).toBe(429);
    // Nor the anonymous budget of the other routes.
    expect((await anon.get('/%61pi/places')).statusCode).toBe(200);
    expect((await anon.get('/api/places')).statusCode).toBe(200);
    expect((await anon.get('/%61%70%69/places')).statusCode).toBe(200);
    expect((await anon.get('/%61pi/places')).statusCode).toBe(429);
  });

  it('reads the session of a percent-encoded API path like any other', async () => {
    t = await buildTestApp();
    const client = new TestClient(t.app);
    await client.register('encoded-path');
    expect((await client.get('/%61pi/auth/me')).json()).toMatchObject({
      username: 'encoded-path',
    });
  });
});

describe('cookies and session lifetime', () => {
  it('uses a __Host- cookie with Secure in production', async () => {
    t = await buildTestApp({ secureCookies: true });
    const res = await new TestClient(t.app).post('/api/auth/register', {
      username: 'prod',
      displayName: 'p',
      password: 'a long secret',
    });
    const cookie = res.cookies[0]!;
    expect(cookie).toMatchObject({
      name: '__Host-tongxin_session',
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
    });
    expect(cookie.domain).toBeUndefined();
  });

  it('ends a session past the absolute cap however recently it was used', async () => {
    t = await buildTestApp();
    const client = new TestClient(t.app);
    const { id } = await client.register('old-session');
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    // created_at is never updated by the app, so the test ages the row in SQL.
    await sql`update sessions set created_at = now() - interval '91 days' where user_id = ${id}`.execute(
      t.app.db,
    );
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
    expect(
      await t.app.db.selectFrom('sessions').where('userId', '=', id).selectAll().execute(),
    ).toEqual([]);
  });
});

describe('logs', () => {
  it('carry a request id and no passwords or session tokens', async () => {
    let logs = '';
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs += chunk.toString();
        done();
      },
    });
    t = await buildTestApp({ logger: { level: 'trace', stream } });
    const client = new TestClient(t.app);
    await client.register('logged', 'secret-pass-123');
    const res = await client.login('logged', 'secret-pass-123');
    const token = client.cookie!.split('=')[1]!;
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(logs).toContain(String(res.headers['x-request-id']));
    expect(logs).not.toContain('secret-pass-123');
    expect(logs).not.toContain(token);
  });
});

describe('documentation', () => {
  it('serves the OpenAPI document and its docs page', async () => {
    t = await buildTestApp();
    const doc = await t.app.inject({ url: '/api/openapi.json' });
    expect(doc.json()).toMatchObject({
      openapi: expect.stringMatching(/^3\./),
      paths: expect.objectContaining({ '/api/auth/login': expect.anything() }),
    });
    const page = await t.app.inject({ url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/html/);
    const health = await t.app.inject({ url: '/api/health' });
    expect(health.json()).toMatchObject({ ok: true });
    // Ready: the database answers; one instance, no Redis to ask.
    const ready = await t.app.inject({ url: '/api/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ ok: true, cluster: false, problems: [] });
  });

  it('answers an unknown API path with the JSON error shape', async () => {
    t = await buildTestApp();
    const res = await t.app.inject({ url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});
