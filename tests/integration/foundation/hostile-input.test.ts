import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BODY_LIMIT } from '@tongxin/server/app';
import { buildTestApp, TEST_ORIGIN, type TestApp } from '../../support/app.ts';
import { TestClient } from '../../support/http.ts';
import {
  acceptsType,
  stateChangingRoutes,
  tableCounts,
  type RouteInfo,
} from '../../support/routes.ts';

let t: TestApp;
let client: TestClient;
let routes: RouteInfo[];

beforeAll(async () => {
  t = await buildTestApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  client = new TestClient(t.app);
  expect((await client.login('secretary', 'tongxin-demo')).statusCode).toBe(200);
  routes = stateChangingRoutes(t.app);
});
afterAll(() => t.close());

/** Sends the request, then checks: a 4xx, a readable message, and no write anywhere. */
async function expectRefusedWithoutWrite(
  route: RouteInfo,
  payload: string | undefined,
  headers: Record<string, string>,
  expected?: number,
) {
  const before = await tableCounts(t.app);
  const res = await t.app.inject({
    method: route.method,
    url: route.url,
    headers: { cookie: client.cookie!, ...headers },
    ...(payload === undefined ? {} : { payload }),
  });
  const label = `${route.method} ${route.url} → ${res.statusCode} ${res.body.slice(0, 200)}`;
  expect(res.statusCode, label).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, label).toBeLessThan(500);
  if (expected) expect(res.statusCode, label).toBe(expected);
  const body = res.json<{ error: { code: string; message: string } }>();
  expect(body.error.message.length, label).toBeGreaterThan(3);
  expect(await tableCounts(t.app), label).toEqual(before);
  return body;
}

// Every route times every hostile value, with two row counts of every table each: a minute of
// work that grows with the API, slower still beside the other suites on a busy machine.
describe('every state-changing route', { timeout: 180_000 }, () => {
  it('is found in the OpenAPI document', () => {
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining([
        'POST /api/auth/login',
        'POST /api/auth/register',
        'POST /api/invitations',
        'PATCH /api/me',
      ]),
    );
  });

  const json = { 'content-type': 'application/json', origin: TEST_ORIGIN };

  it('refuses a foreign, missing or null Origin with 403 even with a valid session', async () => {
    for (const route of routes) {
      for (const origin of ['https://evil.example', 'null', undefined]) {
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          ...(origin ? { origin } : {}),
        };
        const body = await expectRefusedWithoutWrite(route, '{}', headers, 403);
        expect(body.error.code).toBe('bad_origin');
      }
      // A text/plain body is what a cross-site form can send without a preflight.
      await expectRefusedWithoutWrite(
        route,
        'username=x',
        { 'content-type': 'text/plain', origin: 'https://evil.example' },
        403,
      );
    }
  });

  it('refuses malformed JSON', async () => {
    for (const route of routes)
      await expectRefusedWithoutWrite(route, '{"username": "x",', json, 400);
  });

  it('refuses an empty body and a body that is not an object', async () => {
    for (const route of routes) {
      await expectRefusedWithoutWrite(route, '', json, 400);
      await expectRefusedWithoutWrite(route, 'null', json, 400);
      await expectRefusedWithoutWrite(route, '[1,2]', json, 400);
      await expectRefusedWithoutWrite(route, '"text"', json, 400);
    }
  });

  it('refuses unknown fields such as userId and role', async () => {
    for (const route of routes) {
      for (const field of ['userId', 'actorId', 'isAdmin']) {
        const body = await expectRefusedWithoutWrite(
          route,
          JSON.stringify({ [field]: 'x' }),
          json,
          400,
        );
        // The photo upload takes the image itself, so any JSON is "not a file".
        expect(['unknown_field', 'validation_failed', 'photo_not_a_file']).toContain(
          body.error.code,
        );
      }
      if (!route.bodyFields.includes('role'))
        await expectRefusedWithoutWrite(route, '{"role":"organiser"}', json, 400);
    }
  });

  it('refuses wrong types in every field', async () => {
    for (const route of routes) {
      for (const field of route.bodyFields) {
        for (const wrong of [12345, true, null, { nested: 1 }, ['a']]) {
          if (acceptsType(route, field, wrong)) continue;
          await expectRefusedWithoutWrite(route, JSON.stringify({ [field]: wrong }), json, 400);
        }
      }
    }
  });

  it('refuses oversized bodies with 413', async () => {
    const huge = JSON.stringify({ note: 'x'.repeat(API_BODY_LIMIT + 10) });
    for (const route of routes) {
      const body = await expectRefusedWithoutWrite(route, huge, json, 413);
      expect(body.error.code).toBe('body_too_large');
    }
  });

  it('refuses a body sent as another media type', async () => {
    for (const route of routes)
      await expectRefusedWithoutWrite(
        route,
        '<x/>',
        { 'content-type': 'application/xml', origin: TEST_ORIGIN },
        415,
      );
  });
});

interface QueryRoute {
  url: string;
  query: string[];
}

/** Every GET route with query parameters, from the OpenAPI document. */
function queryRoutes(): QueryRoute[] {
  const doc = t.app.swagger() as {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, operations]) => {
    const query = (operations.get?.parameters ?? []).filter((p) => p.in === 'query');
    if (query.length === 0) return [];
    const url = path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');
    return [{ url, query: query.map((p) => p.name) }];
  });
}

// Postgres refuses U+0000 in text (22021): that was a 500 on every route, login included.
describe('a NUL character', { timeout: 180_000 }, () => {
  const json = { 'content-type': 'application/json', origin: TEST_ORIGIN };

  it('in any string field of any state-changing route is a 400 that says so', async () => {
    let checked = 0;
    for (const route of routes) {
      for (const field of route.bodyFields) {
        const types = route.fieldTypes[field] ?? [];
        const values = [
          ...(types.includes('string') ? ['a\u0000b'] : []),
          ...(types.includes('array') ? [['a\u0000b']] : []),
        ];
        for (const value of values) {
          const body = await expectRefusedWithoutWrite(
            route,
            JSON.stringify({ [field]: value }),
            json,
            400,
          );
          expect(body.error.message, `${route.url} ${field}`).toContain('U+0000');
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('in a login or a registration is a 400, not a 500', async () => {
    const anon = new TestClient(t.app);
    const login = await anon.post('/api/auth/login', { username: 'x\u0000', password: 'y' });
    expect(login.statusCode).toBe(400);
    expect(login.json().error).toMatchObject({ code: 'validation_failed', field: 'username' });
    const register = await anon.request(
      'POST',
      '/api/auth/register',
      { username: 'nul', displayName: 'N\u0000', password: 'a long secret' },
      { 'accept-language': 'en' },
    );
    expect(register.statusCode).toBe(400);
    expect(register.json().error.message).toBe(
      'Display name contains a NUL character (U+0000); remove it and try again.',
    );
  });

  it('in any query parameter is a 400', async () => {
    const list = queryRoutes();
    expect(list.length).toBeGreaterThan(0);
    for (const route of list) {
      for (const name of route.query) {
        const res = await t.app.inject({
          method: 'GET',
          url: `${route.url}?${name}=a%00b`,
          headers: { cookie: client.cookie! },
        });
        expect(res.statusCode, `${route.url}?${name}`).toBe(400);
        expect(res.json().error.message).toContain('U+0000');
      }
    }
  });
});
