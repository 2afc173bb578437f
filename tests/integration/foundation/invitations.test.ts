import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { TestClient } from '../../support/http.ts';

let t: TestApp;
let secretary: TestClient;
let places: Map<string, string>;

beforeAll(async () => {
  t = await buildTestApp({ demo: true });
  secretary = new TestClient(t.app);
  await secretary.login('secretary', 'tongxin-demo');
  const list = (await new TestClient(t.app).get('/api/places')).json<
    { id: string; name: string }[]
  >();
  places = new Map(list.map((p) => [p.name, p.id]));
});
afterAll(() => t.close());

async function invite(body: Record<string, unknown>, by = secretary) {
  return by.post('/api/invitations', body);
}

describe('invitations', () => {
  it('lets a secretary invite into their community and a compound below it', async () => {
    const res = await invite({
      role: 'resident',
      placeId: places.get('阳光花园'),
      note: '3号楼 王奶奶',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      role: 'resident',
      place: { name: '阳光花园', kind: 'compound' },
      invitedBy: '李书记',
      maxUses: 1,
      usedCount: 0,
    });
    const listed = (await secretary.get(`/api/places/${places.get('阳光花园')}/invitations`)).json<
      unknown[]
    >();
    expect(listed).toHaveLength(1);
  });

  it('refuses a secretary outside their community, and a resident anywhere', async () => {
    expect((await invite({ role: 'resident', placeId: places.get('和平社区') })).statusCode).toBe(
      403,
    );
    const resident = new TestClient(t.app);
    await resident.login('resident', 'tongxin-demo');
    expect(
      (await invite({ role: 'resident', placeId: places.get('阳光花园') }, resident)).statusCode,
    ).toBe(403);
    expect((await invite({ role: 'organiser', placeId: places.get('幸福社区') })).statusCode).toBe(
      403,
    );
  });

  it('asks for a unit exactly when the role is a unit representative', async () => {
    const missing = await invite({ role: 'unit_rep', placeId: places.get('幸福社区') });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('unitId');
  });

  it('gives the role on acceptance, once, and says why when it cannot', async () => {
    const { code } = (await invite({ role: 'volunteer', placeId: places.get('幸福社区') })).json<{
      code: string;
    }>();
    const preview = await new TestClient(t.app).get(`/api/invitations/${code}`);
    expect(preview.json()).toMatchObject({ role: 'volunteer', place: { name: '幸福社区' } });

    const newcomer = new TestClient(t.app);
    await newcomer.register('newcomer');
    const accepted = await newcomer.post('/api/invitations/accept', { code });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().roles).toEqual([
      expect.objectContaining({
        role: 'volunteer',
        place: expect.objectContaining({ name: '幸福社区' }),
      }),
    ]);

    const late = new TestClient(t.app);
    await late.register('late');
    const usedUp = await late.post('/api/invitations/accept', { code });
    expect(usedUp.statusCode).toBe(410);
    expect(usedUp.json().error.code).toBe('invitation_used_up');
    expect(
      (await late.post('/api/invitations/accept', { code: 'nosuchcode123' })).json().error.code,
    ).toBe('invitation_invalid');
  });

  it('registers and accepts in one step, or neither when the code is bad', async () => {
    const { code } = (await invite({ role: 'resident', placeId: places.get('玻璃厂小区') })).json<{
      code: string;
    }>();
    const res = await new TestClient(t.app).post('/api/auth/register', {
      username: 'with-code',
      displayName: '新居民',
      password: 'a long secret',
      invitationCode: code,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().roles[0]).toMatchObject({ role: 'resident', place: { name: '玻璃厂小区' } });
    const bad = await new TestClient(t.app).post('/api/auth/register', {
      username: 'bad-code',
      displayName: 'x',
      password: 'a long secret',
      invitationCode: 'nosuchcode123',
    });
    expect(bad.statusCode).toBe(404);
    const user = await t.app.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'bad-code')
      .executeTakeFirst();
    expect(user).toBeUndefined();
  });

  it('an expired invitation is refused with its reason', async () => {
    const { code } = (await invite({ role: 'resident', placeId: places.get('阳光花园') })).json<{
      code: string;
    }>();
    await t.app.db
      .updateTable('invitations')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('code', '=', code)
      .execute();
    const res = await new TestClient(t.app).get(`/api/invitations/${code}`);
    expect(res.statusCode).toBe(410);
    expect(res.json().error.code).toBe('invitation_expired');
  });

  it('hands out exactly maxUses roles when many accept at once', async () => {
    const { code } = (
      await invite({ role: 'resident', placeId: places.get('阳光花园'), maxUses: 3 })
    ).json<{ code: string }>();
    const clients = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const c = new TestClient(t.app);
        await c.register(`racer-${i}`);
        return c;
      }),
    );
    const results = await Promise.all(
      clients.map((c) => c.post('/api/invitations/accept', { code })),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.every((s) => s === 200 || s === 410 || s === 409)).toBe(true);
    const row = await t.app.db
      .selectFrom('invitations')
      .select('usedCount')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    expect(row.usedCount).toBe(3);
  });
});
