import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '@tongxin/server';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { createMigratedTestDatabase } from '../../support/database.ts';
import { TestClient } from '../../support/http.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('register, log in, log out', () => {
  it('registers, is signed in at once, and sees their account', async () => {
    const client = new TestClient(t.app);
    const res = await client.post('/api/auth/register', {
      username: 'mei',
      displayName: '梅',
      password: 'a long secret',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      username: 'mei',
      displayName: '梅',
      locale: 'zh-CN',
      roles: [],
    });
    const cookie = res.cookies.find((c) => c.name === 'tongxin_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect((await client.get('/api/auth/me')).json()).toMatchObject({ username: 'mei' });
  });

  it('says who is signed in, and signed out answers 200 with nobody (no failed request)', async () => {
    const client = new TestClient(t.app);
    const anonymous = await client.get('/api/auth/session');
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ me: null });
    await client.register('session-check');
    const signedIn = await client.get('/api/auth/session');
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json()).toMatchObject({ me: { username: 'session-check' } });
  });

  it('refuses a second account with the same username in any letter case', async () => {
    const client = new TestClient(t.app);
    await client.register('Bo-Lin');
    const res = await new TestClient(t.app).post('/api/auth/register', {
      username: 'bo-lin',
      displayName: 'x',
      password: 'a long secret',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'username_taken', field: 'username' });
  });

  it('says in words when the password is wrong, in the browser’s language', async () => {
    await new TestClient(t.app).register('wei', 'right password 1');
    const zh = await new TestClient(t.app).login('wei', 'wrong password');
    expect(zh.statusCode).toBe(401);
    expect(zh.json().error).toEqual({ code: 'wrong_credentials', message: '用户名或密码不正确。' });
    const en = await new TestClient(t.app).request(
      'POST',
      '/api/auth/login',
      { username: 'wei', password: 'nope' },
      { 'accept-language': 'en-GB,en' },
    );
    expect(en.json().error.message).toBe('Wrong username or password.');
  });

  it('logs in by username regardless of case, and logout ends the session on the server', async () => {
    await new TestClient(t.app).register('fang', 'fang password');
    const client = new TestClient(t.app);
    expect((await client.login('FANG', 'fang password')).statusCode).toBe(200);
    const stolen = client.cookie;
    expect((await client.post('/api/auth/logout', {})).statusCode).toBe(204);
    const replay = new TestClient(t.app);
    replay.cookie = stolen;
    expect((await replay.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('answers 401 with a readable message when nobody is signed in', async () => {
    const res = await new TestClient(t.app).get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toEqual({ code: 'unauthenticated', message: '请先登录。' });
  });
});

describe('sessions', () => {
  it('stores only a SHA-256 of the token: the stored value is no usable cookie', async () => {
    const client = new TestClient(t.app);
    const { id } = await client.register('hash-check');
    const token = client.cookie!.split('=')[1]!;
    const rows = await t.app.db
      .selectFrom('sessions')
      .select('id')
      .where('userId', '=', id)
      .execute();
    expect(rows).toEqual([{ id: createHash('sha256').update(token).digest('hex') }]);
    const forged = new TestClient(t.app);
    forged.cookie = `tongxin_session=${rows[0]!.id}`;
    expect((await forged.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('a password change signs out every other device but keeps this one', async () => {
    const phone = new TestClient(t.app);
    await phone.register('two-devices', 'first password');
    const laptop = new TestClient(t.app);
    await laptop.login('two-devices', 'first password');
    const wrong = await phone.post('/api/auth/password', {
      currentPassword: 'not it',
      newPassword: 'second password',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'wrong_password', field: 'currentPassword' });
    expect(
      (
        await phone.post('/api/auth/password', {
          currentPassword: 'first password',
          newPassword: 'second password',
        })
      ).statusCode,
    ).toBe(204);
    expect((await phone.get('/api/auth/me')).statusCode).toBe(200);
    expect((await laptop.get('/api/auth/me')).statusCode).toBe(401);
    expect((await new TestClient(t.app).login('two-devices', 'first password')).statusCode).toBe(
      401,
    );
    expect((await new TestClient(t.app).login('two-devices', 'second password')).statusCode).toBe(
      200,
    );
  });

  it('writes an audit row for each command', async () => {
    const client = new TestClient(t.app);
    const { id } = await client.register('audited');
    await client.patch('/api/me', { locale: 'en' });
    const actions = await t.app.db
      .selectFrom('auditLog')
      .select('action')
      .where('actorId', '=', id)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['user.register', 'user.update_profile']);
    await expect(t.app.db.deleteFrom('auditLog').execute()).rejects.toThrow(/append-only/);
  });
});

describe('restart', () => {
  it('keeps sessions across a server restart', async () => {
    // On disk (a data directory, or a Postgres database), not in memory.
    const database = await createMigratedTestDatabase();
    const config = database.config;
    try {
      const first = await buildApp({ database: config, webDir: null });
      const client = new TestClient(first);
      await client.register('survivor');
      await first.close();
      const second = await buildApp({ database: config, webDir: null });
      const again = new TestClient(second);
      again.cookie = client.cookie;
      expect((await again.get('/api/auth/me')).json()).toMatchObject({ username: 'survivor' });
      await second.close();
    } finally {
      await database.drop();
    }
  });
});
