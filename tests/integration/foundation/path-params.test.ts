import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { TestClient } from '../../support/http.ts';

let t: TestApp;
let client: TestClient;

beforeAll(async () => {
  t = await buildTestApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  client = new TestClient(t.app);
  expect((await client.login('secretary', 'tongxin-demo')).statusCode).toBe(200);
});
afterAll(() => t.close());

/** Every GET path with a parameter in it, from the OpenAPI document. */
function paramPaths(): string[] {
  const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths)
    .filter(([path, operations]) => operations.get && /\{\w+\}/.test(path))
    .map(([path]) => path);
}

// Issue 15: a cut-short or mistyped id in an address said "“id”的格式不正确" (400 naming a
// field) where a person can only act on "not found".
describe('a path parameter that cannot name anything', () => {
  it('is a 404 not_found on every GET route, in both languages, naming no field', async () => {
    const paths = paramPaths();
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) {
      for (const bad of ['abc', '123', 'not-a-uuid-0000']) {
        const url = path.replace(/\{\w+\}/g, bad);
        for (const lang of ['zh-CN', 'en']) {
          const res = await client.request('GET', url, undefined, { 'accept-language': lang });
          const label = `${url} ${lang} → ${res.statusCode} ${res.body.slice(0, 200)}`;
          expect(res.statusCode, label).toBe(404);
          const { error } = res.json<{
            error: { code: string; message: string; field?: string };
          }>();
          expect(error.code, label).toMatch(/not_found|invitation_invalid/);
          expect(error.field, label).toBeUndefined();
          expect(error.message, label).not.toMatch(/格式|format|“/);
        }
      }
    }
  });

  it('is a 404 on a state-changing route too, before the body is looked at', async () => {
    const res = await client.post('/api/activities/abc/signup', {});
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});
