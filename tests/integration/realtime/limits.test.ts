import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  rawSocket,
  signUp,
  startLiveApp,
  type LiveTestApp,
  type RawSocket,
} from '../../support/realtime.ts';

// Tight limits so each one is reached in a few frames; the session re-check runs often so a
// test waits for it by event, never by a timing assertion.
let live: LiveTestApp;
const sockets: RawSocket[] = [];

beforeAll(async () => {
  live = await startLiveApp({
    realtime: {
      messagesPerSecond: 1,
      messageBurst: 5,
      connectionsPerUser: 2,
      sessionRecheckMs: 50,
    },
  });
});
afterAll(async () => {
  for (const s of sockets) s.socket.terminate();
  await live.close();
});

async function open(docName: string, cookie: string): Promise<RawSocket> {
  const s = rawSocket(live.wsUrl, docName, { cookie, origin: live.origin });
  sockets.push(s);
  await s.opened;
  return s;
}

const userId = async (username: string) =>
  (
    await live.app.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirstOrThrow()
  ).id;

describe('live limits and session re-check', () => {
  it('closes a socket that sends too fast with 1013, which the client retries', async () => {
    const cookie = await signUp(live.app, 'flooder');
    const s = await open('test:flood', cookie);
    for (let i = 0; i < 20; i++) s.socket.send(new Uint8Array([3])); // query-awareness
    expect(await s.closed).toBe(1013);
  });

  it('refuses a socket past the per-user connection limit for good (4429)', async () => {
    const cookie = await signUp(live.app, 'hoarder');
    await open('test:many-1', cookie);
    await open('test:many-2', cookie);
    const third = await open('test:many-3', cookie);
    expect(await third.closed).toBe(4429);
  });

  it('closes the sockets of a session deleted behind its back (4401)', async () => {
    const cookie = await signUp(live.app, 'deleted');
    const s = await open('test:recheck', cookie);
    await live.app.db
      .deleteFrom('sessions')
      .where('userId', '=', await userId('deleted'))
      .execute();
    expect(await s.closed).toBe(4401);
  });

  it('closes the sockets of a session that expired while they were open (4401)', async () => {
    const cookie = await signUp(live.app, 'expired');
    const s = await open('test:recheck', cookie);
    await live.app.db
      .updateTable('sessions')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('userId', '=', await userId('expired'))
      .execute();
    expect(await s.closed).toBe(4401);
  });

  it('forgets a cached session on logout: the old cookie cannot open another socket', async () => {
    const { TestClient } = await import('../../support/http.ts');
    const user = new TestClient(live.app);
    await user.register('cached');
    const cookie = user.cookie!;
    const first = await open('test:cache', cookie); // validated and cached
    expect((await user.post('/api/auth/logout')).statusCode).toBe(204);
    expect(await first.closed).toBe(4401);
    const again = rawSocket(live.wsUrl, 'test:cache', { cookie, origin: live.origin });
    sockets.push(again);
    expect(await again.refused).toBe(401);
  });
});
