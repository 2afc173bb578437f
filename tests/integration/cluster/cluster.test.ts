import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { App } from '@tongxin/server';
import {
  clusterTestsEnabled,
  createTestCluster,
  RedisProxy,
  type ClusterInstance,
  type TestCluster,
} from '../../support/cluster.ts';
import {
  connect,
  rawSocket,
  registerTestDocuments,
  signUp,
  waitFor,
} from '../../support/realtime.ts';

// Several instances share one PostgreSQL (TEST_DATABASE_URL) and one Redis (TEST_REDIS_URL,
// 127.0.0.1:6379 by default); on the embedded database there is nothing to test.

type Projection = ReturnType<App['live']['registerProjection']>;
const projections = new WeakMap<App, Projection>();

/**
 * The test documents; `name:<userId>`, projected from the user's display name; `rights:*`,
 * closed to users whose display name is "banned" (rights that change in the database).
 */
function setup(app: App) {
  registerTestDocuments(app);
  app.live.registerDocument({
    pattern: 'rights:*',
    kind: 'collaborative',
    async access(user) {
      const row = await app.db
        .selectFrom('users')
        .select('displayName')
        .where('id', '=', user.id)
        .executeTakeFirst();
      return row && row.displayName !== 'banned' ? 'write' : 'none';
    },
  });
  projections.set(
    app,
    app.live.registerProjection({
      prefix: 'name',
      access: () => 'read',
      async project(userId) {
        const row = await app.db
          .selectFrom('users')
          .select('displayName')
          .where('id', '=', userId)
          .executeTakeFirst();
        return row ? { person: { displayName: row.displayName } } : null;
      },
    }),
  );
}

describe.skipIf(!clusterTestsEnabled)('several instances on Redis and PostgreSQL', () => {
  let cluster: TestCluster;
  let a: ClusterInstance;
  let b: ClusterInstance;
  let writer: string;
  let writer2: string;
  let reader: string;
  const opened: Array<{ provider: { destroy(): void } }> = [];

  beforeAll(async () => {
    cluster = await createTestCluster(setup);
    // Compaction after a few updates, so catching up must also cross folded rows.
    a = await cluster.start({ realtime: { compactAfterUpdates: 5 } });
    b = await cluster.start({ realtime: { compactAfterUpdates: 5 } });
    writer = await signUp(a.app, 'writer1');
    writer2 = await signUp(a.app, 'writer2');
    reader = await signUp(a.app, 'reader1');
  });
  afterEach(() => {
    for (const c of opened.splice(0)) c.provider.destroy();
    a.broadcast.dropIncoming = null;
    b.broadcast.dropIncoming = null;
  });
  afterAll(async () => {
    await cluster?.close();
  });

  function client(on: ClusterInstance, docName: string, cookie: string) {
    const c = connect(on.wsUrl, docName, { cookie, origin: on.origin });
    opened.push(c);
    return c;
  }

  it('writers on two instances converge and a late joiner on a third gets everything', async () => {
    const onA = client(a, 'test:converge', writer);
    const onB = client(b, 'test:converge', writer2);
    await waitFor(() => onA.provider.synced && onB.provider.synced, 'sync');
    for (let i = 0; i < 20; i++) {
      onA.text.insert(onA.text.length, `a${i} `);
      onB.text.insert(0, `b${i} `);
    }
    await waitFor(
      () =>
        onA.text.toString() === onB.text.toString() &&
        [...Array(20).keys()].every(
          (i) => onA.text.toString().includes(`a${i} `) && onA.text.toString().includes(`b${i} `),
        ),
      'convergence of both writers',
    );
    // Presence crosses instances too (the server owns `user`; the rest is the client's), and
    // a phone joining on an instance that did not hold the document sees it at once, not at
    // the next renewal (keep-alives are 20 s apart).
    onA.provider.awareness.setLocalStateField('cursor', 'on-a');
    await waitFor(
      () => [...onB.provider.awareness.getStates().values()].some((s) => s['cursor'] === 'on-a'),
      'presence from A on B',
    );
    const c = await cluster.start();
    try {
      const late = client(c, 'test:converge', reader);
      await waitFor(() => late.text.toString() === onA.text.toString(), 'late joiner on a third');
      await waitFor(
        () => [...late.provider.awareness.getStates().values()].some((s) => s['cursor'] === 'on-a'),
        'presence from A on C',
        3000,
      );
    } finally {
      opened.splice(0).forEach((o) => o.provider.destroy());
      await c.close();
    }
  });

  it('a change to a projected document on A reaches a phone on B', async () => {
    const me = await a.app.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'writer2')
      .executeTakeFirstOrThrow();
    const name = projections.get(a.app)!;
    const onB = client(b, name.docName(me.id), writer2);
    const person = () => onB.doc.getMap('person').get('displayName');
    await waitFor(() => person() === 'writer2', 'the projection on B');
    // A command on A: its commit, then its publish, both on A.
    await a.app.db
      .updateTable('users')
      .set({ displayName: '王阿姨' })
      .where('id', '=', me.id)
      .execute();
    // A holds the document only because of this publish, B only because of the phone.
    const started = Date.now();
    await name.publish(me.id);
    await waitFor(() => person() === '王阿姨', 'the change on B');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('messages dropped on purpose are recovered from the log, across compaction', async () => {
    const onA = client(a, 'test:lossy', writer);
    const onB = client(b, 'test:lossy', writer2);
    await waitFor(() => onA.provider.synced && onB.provider.synced, 'sync');
    // B hears nothing of A's updates: every edit crosses only through the log.
    let dropped = 0;
    b.broadcast.dropIncoming = (_doc, message) => message.kind === 'update' && ++dropped > 0;
    for (let i = 0; i < 12; i++) onA.text.insert(onA.text.length, `x${i} `);
    await waitFor(() => onB.text.toString() === onA.text.toString(), 'B recovers everything');
    expect(dropped).toBeGreaterThan(0);
    // Only the first message of a burst lost: the next one shows the gap.
    dropped = 0;
    b.broadcast.dropIncoming = (_doc, message) => message.kind === 'update' && ++dropped === 1;
    onA.text.insert(0, 'first ');
    await waitFor(() => dropped === 1, 'one message dropped');
    onA.text.insert(0, 'second ');
    await waitFor(() => onB.text.toString() === onA.text.toString(), 'B fills the gap');
    // And B's own edits went the other way unharmed.
    onB.text.insert(0, 'from-b ');
    await waitFor(() => onA.text.toString() === onB.text.toString(), 'A has B’s edit');
    // The log was folded meanwhile (compactAfterUpdates 5), and nothing diverged.
    const snapshots = await a.app.db
      .selectFrom('liveDocumentSnapshots')
      .select('docSeq')
      .where('docName', '=', 'test:lossy')
      .execute();
    expect(Number(snapshots[0]?.docSeq ?? 0)).toBeGreaterThan(0);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await a.app.live.state('test:lossy'));
    expect(stored.getText('t').toString()).toBe(onB.text.toString());
  });

  it('logout, password change and lost rights on A close sockets on B within 2 s', async () => {
    const origin = 'http://localhost:80';
    const post = (cookie: string, url: string, body: unknown = {}) =>
      a.app.inject({
        method: 'POST',
        url,
        headers: { cookie, origin, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    const openOnB = async (docName: string, cookie: string) => {
      const socket = rawSocket(b.wsUrl, docName, { cookie, origin: b.origin });
      await socket.opened;
      return socket;
    };
    const within2s = async (socket: ReturnType<typeof rawSocket>, code: number) => {
      const started = Date.now();
      return { code: await socket.closed, ms: Date.now() - started, expected: code };
    };

    // Logout on A.
    const cookie = await signUp(a.app, 'leaver');
    const loggedOut = await openOnB('test:control', cookie);
    const logout = within2s(loggedOut, 4401);
    expect((await post(cookie, '/api/auth/logout')).statusCode).toBe(204);
    expect(await logout).toMatchObject({ code: 4401, ms: expect.any(Number) });
    expect((await logout).ms).toBeLessThan(2000);

    // Password changed on A: the user's other sessions' sockets on B close.
    const phone = await signUp(a.app, 'mover');
    const laptop = (
      await a.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin, 'content-type': 'application/json' },
        payload: JSON.stringify({ username: 'mover', password: 'correct horse battery' }),
      })
    ).cookies.find((c) => c.name.includes('tongxin_session'))!;
    const onLaptop = await openOnB('test:control', `${laptop.name}=${laptop.value}`);
    const onPhone = await openOnB('test:control', phone);
    const changed = within2s(onLaptop, 4401);
    const res = await post(phone, '/api/auth/password', {
      currentPassword: 'correct horse battery',
      newPassword: 'another horse battery',
    });
    expect(res.statusCode).toBe(204);
    expect((await changed).code).toBe(4401);
    expect((await changed).ms).toBeLessThan(2000);
    expect(onPhone.socket.readyState).toBe(onPhone.socket.OPEN);
    onPhone.socket.close();

    // Rights lost on A (`recheckUser`, `recheckDocument`): B judges its sockets again.
    const member = await signUp(a.app, 'member');
    const memberId = (
      await a.app.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'member')
        .executeTakeFirstOrThrow()
    ).id;
    const onRoom = await openOnB('rights:room', member);
    const revoked = within2s(onRoom, 4403);
    await a.app.db
      .updateTable('users')
      .set({ displayName: 'banned' })
      .where('id', '=', memberId)
      .execute();
    await a.app.live.recheckUser(memberId);
    expect((await revoked).code).toBe(4403);
    expect((await revoked).ms).toBeLessThan(2000);

    const other = await signUp(a.app, 'other');
    const onMinutes = await openOnB('rights:minutes', other);
    const frozen = within2s(onMinutes, 4403);
    await a.app.db
      .updateTable('users')
      .set({ displayName: 'banned' })
      .where('username', '=', 'other')
      .execute();
    await a.app.live.recheckDocument('rights:minutes');
    expect((await frozen).code).toBe(4403);
    expect((await frozen).ms).toBeLessThan(2000);
  });

  it('/api/ready reflects Redis; an instance cut from Redis keeps serving and catches up', async () => {
    const proxy = new RedisProxy();
    await proxy.up();
    const c = await cluster.start({ redisUrl: proxy.url });
    try {
      const ready = async (on: ClusterInstance) =>
        (await on.app.inject({ method: 'GET', url: '/api/ready' })).statusCode;
      // Ready once Redis answers (the start does not wait for it: alone, it serves anyway).
      await waitFor(async () => (await ready(c)) === 200, '/api/ready says 200');
      expect((await c.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      const onA = client(a, 'test:partition', writer);
      const onC = client(c, 'test:partition', writer2);
      await waitFor(() => onA.provider.synced && onC.provider.synced, 'sync');
      onA.text.insert(0, 'before ');
      await waitFor(() => onC.text.toString() === 'before ', 'before the cut');

      await proxy.down();
      await waitFor(async () => (await ready(c)) === 503, '/api/ready says 503');
      expect(await ready(a)).toBe(200);
      // Both sides go on editing; each instance serves its own sockets.
      onA.text.insert(onA.text.length, 'from-a ');
      onC.text.insert(onC.text.length, 'from-c ');
      const sameSide = client(c, 'test:partition', reader);
      await waitFor(() => sameSide.text.toString().includes('from-c'), 'C serves its own');

      await proxy.up();
      await waitFor(async () => (await ready(c)) === 200, '/api/ready back to 200');
      await waitFor(
        () =>
          onA.text.toString() === onC.text.toString() &&
          onA.text.toString().includes('from-c') &&
          onC.text.toString().includes('from-a'),
        'convergence after Redis returns',
        5000,
      );
    } finally {
      opened.splice(0).forEach((o) => o.provider.destroy());
      await c.close();
      await proxy.down();
    }
  });
});
