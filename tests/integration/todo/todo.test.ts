import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TodoView } from '@tongxin/shared/todo/todo.schemas';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import type { TestClient } from '../../support/http.ts';
import { signedIn } from '../../support/people.ts';

let t: TestApp;

async function idOf(username: string) {
  const row = await t.app.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return row.id;
}

const clients = new Map<string, TestClient>();
async function as(username: string) {
  let c = clients.get(username);
  if (!c) {
    c = await signedIn(t.app, await idOf(username));
    clients.set(username, c);
  }
  return c;
}

async function todoOf(username: string): Promise<TodoView> {
  const res = await (await as(username)).get('/api/todo');
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TodoView>();
}

beforeAll(async () => {
  t = await buildTestApp({ demo: true });
});
afterAll(async () => t?.close());

describe('GET /api/todo', () => {
  it('dump', async () => {
    for (const u of ['secretary', 'gridworker', 'gridworker2', 'resident', 'resident2', 'unitrep', 'member', 'leader', 'volunteer', 'rider']) {
      const v = await todoOf(u);
      console.log(u, JSON.stringify(v.watch), '\n' + v.entries.map((e) => `  ${e.urgency} ${e.kind} ${e.title} | ${e.context} | ${e.count} ${e.state} ${e.due} ${e.href}`).join('\n'));
    }
  });
});
