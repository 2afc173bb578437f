import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeoplePage } from '@tongxin/shared/people.schemas';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { TestClient } from '../../support/http.ts';
import { newUser, signedIn } from '../../support/people.ts';

let t: TestApp;
let secretary: TestClient;
let places: Map<string, string>;

async function login(username: string) {
  const client = new TestClient(t.app);
  expect((await client.login(username, 'tongxin-demo')).statusCode).toBe(200);
  return client;
}

/** A new person holding `role` at the named place; returns the user and the assignment. */
async function holder(role: 'volunteer' | 'resident' | 'secretary' | 'organiser', place: string) {
  const userId = await newUser(t.app, `测试${role}`);
  const row = await t.app.db
    .insertInto('roleAssignments')
    .values({ userId, role, placeId: places.get(place)!, unitId: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { userId, assignmentId: row.id };
}

const revoke = (client: TestClient, id: string) => client.request('DELETE', `/api/roles/${id}`, {});
const auditRows = (id: string) =>
  t.app.db
    .selectFrom('auditLog')
    .selectAll()
    .where('action', '=', 'role.revoke')
    .where('targetId', '=', id)
    .execute();

beforeAll(async () => {
  t = await buildTestApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  secretary = await login('secretary');
  const list = (await secretary.get('/api/places')).json<{ id: string; name: string }[]>();
  places = new Map(list.map((p) => [p.name, p.id]));
});
afterAll(() => t.close());

describe('people and roles (成员与角色)', () => {
  it('lists the roles held in a secretary’s community and below, filtered and paged', async () => {
    const url = `/api/places/${places.get('幸福社区')}/people`;
    const all = (await secretary.get(`${url}?limit=100`)).json<PeoplePage>();
    const names = all.items.map((i) => `${i.user.displayName}:${i.role}:${i.place.name}`);
    expect(names).toContain('张阿姨:resident:阳光花园'); // a compound below the community
    expect(names).toContain('赵记录:scribe:幸福社区');
    expect(names.some((n) => n.endsWith(':和平里'))).toBe(false); // another community
    expect(all.total).toBe(all.items.length);
    const mine = all.items.filter((i) => i.user.displayName === '李书记');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((i) => !i.revocable)).toBe(true);
    expect(all.items.find((i) => i.role === 'scribe')?.revocable).toBe(true);

    const scribes = (await secretary.get(`${url}?role=scribe`)).json<PeoplePage>();
    expect(scribes.items.map((i) => i.user.displayName)).toEqual(['赵记录']);
    const named = (
      await secretary.get(`${url}?q=${encodeURIComponent('张阿')}`)
    ).json<PeoplePage>();
    expect(named.items.map((i) => i.user.displayName)).toEqual(['张阿姨']);
    // A search for SQL's wildcards finds nobody instead of everybody.
    expect((await secretary.get(`${url}?q=%25`)).json<PeoplePage>().total).toBe(0);

    const first = (await secretary.get(`${url}?limit=2`)).json<PeoplePage>();
    const second = (await secretary.get(`${url}?limit=2&offset=2`)).json<PeoplePage>();
    expect(first.total).toBe(all.total);
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual(
      all.items.slice(0, 4).map((i) => i.id),
    );
  });

  it('shows the list to the place’s secretaries and organisers only', async () => {
    const url = (place: string) => `/api/places/${places.get(place)}/people`;
    expect((await (await login('resident')).get(url('幸福社区'))).statusCode).toBe(403);
    const notMine = await secretary.get(url('和平社区'));
    expect(notMine.statusCode).toBe(403);
    expect(notMine.json<{ error: { code: string } }>().error.code).toBe('people_for_managers');
    expect((await secretary.get(url('同心区'))).statusCode).toBe(403); // above them
    expect((await (await login('organiser')).get(url('和平社区'))).statusCode).toBe(200);
    const unknown = await secretary.get(`/api/places/${crypto.randomUUID()}/people`);
    expect(unknown.statusCode).toBe(404);
    for (const bad of ['role=king', 'limit=0', 'limit=101', 'offset=-1', 'extra=1']) {
      const res = await secretary.get(`${url('幸福社区')}?${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json<{ error: { message: string } }>().error.message.length).toBeGreaterThan(3);
    }
  });

  it('revokes a role once, in the audit log, and tells the person', async () => {
    const { userId, assignmentId } = await holder('volunteer', '幸福社区');
    const res = await revoke(secretary, assignmentId);
    expect(res.statusCode).toBe(204);
    expect(await auditRows(assignmentId)).toHaveLength(1);
    const person = await signedIn(t.app, userId);
    const me = (await person.get('/api/auth/me')).json<{ roles: { role: string }[] }>();
    expect(me.roles.map((r) => r.role)).not.toContain('volunteer');
    const inbox = (await person.get('/api/me/notifications')).json<{
      items: { kind: string; params: Record<string, string> }[];
    }>();
    expect(inbox.items[0]).toMatchObject({
      kind: 'role_revoked',
      params: { role: 'volunteer', place: '幸福社区' },
    });
    expect((await revoke(secretary, assignmentId)).statusCode).toBe(404);
    expect(await auditRows(assignmentId)).toHaveLength(1);
  });

  it('refuses to revoke one’s own role, an organiser’s, or one outside one’s area', async () => {
    const me = (await secretary.get('/api/auth/me')).json<{
      roles: { id: string; role: string }[];
    }>();
    const own = me.roles.find((r) => r.role === 'secretary')!;
    const self = await revoke(secretary, own.id);
    expect(self.statusCode).toBe(409);
    expect(self.json<{ error: { code: string } }>().error.code).toBe('own_role');

    // Three refusals of one verb, three codes the page can tell apart.
    const code = (res: { json<T>(): T }) => res.json<{ error: { code: string } }>().error.code;
    const organiser = await holder('organiser', '同心区');
    const above = await revoke(secretary, organiser.assignmentId);
    expect(above.statusCode).toBe(403);
    expect(code(above)).toBe('revoke_organiser_from_above');
    const elsewhere = await holder('resident', '和平里');
    const outside = await revoke(secretary, elsewhere.assignmentId);
    expect(outside.statusCode).toBe(403);
    expect(code(outside)).toBe('revoke_by_manager');
    expect((await revoke(await login('resident'), elsewhere.assignmentId)).statusCode).toBe(403);
    expect(await auditRows(organiser.assignmentId)).toHaveLength(0);
    expect(await auditRows(elsewhere.assignmentId)).toHaveLength(0);
    // The district organiser may.
    expect((await revoke(await login('organiser'), elsewhere.assignmentId)).statusCode).toBe(204);
  });

  it('two secretaries revoking the same role at once: one succeeds, one finds it gone', async () => {
    const second = await holder('secretary', '幸福社区');
    const target = await holder('volunteer', '幸福社区');
    const other = await signedIn(t.app, second.userId);
    const codes = (
      await Promise.all([
        revoke(secretary, target.assignmentId),
        revoke(other, target.assignmentId),
      ])
    )
      .map((r) => r.statusCode)
      .sort();
    expect(codes).toEqual([204, 404]);
    expect(await auditRows(target.assignmentId)).toHaveLength(1);
  });
});
