import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@tongxin/server';
import { updateFrame } from '../../../server/src/realtime/protocol.ts';
import {
  clusterTestsEnabled,
  createTestCluster,
  RedisProxy,
  TEST_REDIS_URL,
  type ClusterInstance,
  type TestCluster,
} from '../../support/cluster.ts';
import { rawSocket, signUp, waitFor, type RawSocket } from '../../support/realtime.ts';

// The per-user socket cap and byte budget hold across instances (counted in Redis), and a
// dead instance's sockets stop counting.

const CAP = 2;

describe.skipIf(!clusterTestsEnabled)('socket cap and budgets across instances', () => {
  let cluster: TestCluster;
  let redis: Redis;
  let proxy: RedisProxy;
  let a: ClusterInstance;
  let b: ClusterInstance;
  let c: ClusterInstance;
  const sockets: RawSocket[] = [];

  beforeAll(async () => {
    cluster = await createTestCluster();
    redis = new Redis(TEST_REDIS_URL);
    proxy = new RedisProxy();
    await proxy.up();
    const start = (redisUrl = TEST_REDIS_URL) =>
      cluster.start({
        cluster: {
          redisUrl,
          prefix: cluster.prefix,
          sharedLimits: { heartbeatMs: 200, budgetSyncMs: 100 },
        },
        realtime: { connectionsPerUser: CAP, userByteBurst: 20_000, userBytesPerSecond: 100 },
      });
    a = await start();
    b = await start();
    c = await start(proxy.url); // C reaches Redis through a proxy the test can cut
  });
  afterAll(async () => {
    for (const s of sockets) s.socket.terminate();
    await cluster?.close();
    await proxy?.down();
    redis?.disconnect();
  });

  async function userOf(app: App, cookie: string): Promise<string> {
    const res = await app.inject({ url: '/api/auth/me', headers: { cookie } });
    return (res.json() as { id: string }).id;
  }
  function open(on: ClusterInstance, cookie: string, doc = 'test:cap'): RawSocket {
    const s = rawSocket(on.wsUrl, doc, { cookie, origin: on.origin });
    sockets.push(s);
    return s;
  }
  /** The user's sockets as Redis counts them, over every instance's hash. */
  async function counted(userId: string): Promise<number> {
    const keys = await redis.keys(`${cluster.prefix}:sockets:*`);
    let total = 0;
    for (const key of keys) total += Number((await redis.hget(key, userId)) ?? 0);
    return total;
  }

  it('a user at the cap on A is refused on B, and admitted once a socket on A closes', async () => {
    const cookie = await signUp(a.app, 'capped');
    const userId = await userOf(a.app, cookie);
    const first = open(a, cookie);
    const second = open(a, cookie);
    await Promise.all([first.opened, second.opened]);
    await waitFor(async () => (await counted(userId)) === CAP, 'two sockets counted');
    // Two on A: a third on B passes B's own count (zero) but not the shared one.
    expect(await open(b, cookie).closed).toBe(4429);
    first.socket.close();
    await first.closed;
    await waitFor(async () => (await counted(userId)) === 1, 'the closed one no longer counted');
    const onB = open(b, cookie);
    await onB.opened;
    await waitFor(async () => (await counted(userId)) === CAP, 'the one on B counted');
    expect(onB.socket.readyState).toBe(onB.socket.OPEN);
  });

  it('an instance that stops renewing (dead, or cut from Redis) stops counting; no Redis, no refusal', async () => {
    const cookie = await signUp(c.app, 'stranded');
    const userId = await userOf(c.app, cookie);
    const onC = [open(c, cookie), open(c, cookie)];
    await Promise.all(onC.map((s) => s.opened));
    await waitFor(async () => (await counted(userId)) === CAP, 'two sockets on C counted');
    expect(await open(a, cookie).closed).toBe(4429);
    await proxy.down();
    // C's hash and its place among the alive expire (3 heartbeats); then A admits.
    await waitFor(async () => (await counted(userId)) === 0, 'C’s counts gone');
    const onA = open(a, cookie);
    await onA.opened;
    await waitFor(async () => (await counted(userId)) === 1, 'the one on A counted');
    expect(onA.socket.readyState).toBe(onA.socket.OPEN);
    // C, without Redis, goes on with its own cap: a socket closed and one opened is admitted.
    onC[0]!.socket.close();
    await onC[0]!.closed;
    const again = open(c, cookie);
    await again.opened;
    await c.app.live.flush();
    expect(again.socket.readyState).toBe(again.socket.OPEN);
  });

  it('bytes a user sends on A are taken from their budget on B', async () => {
    const cookie = await signUp(a.app, 'sender');
    const userId = await userOf(a.app, cookie);
    const onA = open(a, cookie, 'test:budget');
    const onB = open(b, cookie, 'test:budget');
    await Promise.all([onA.opened, onB.opened]);
    await waitFor(async () => (await counted(userId)) === 2, 'both sockets counted');
    const big = (who: string) => {
      const doc = new Y.Doc();
      doc.getText('t').insert(0, who.repeat(15_000));
      return updateFrame(Y.encodeStateAsUpdate(doc));
    };
    // 15 kB on A, then 15 kB on B: each alone is within the burst of 20 kB, both are not.
    onA.socket.send(big('a'));
    await waitFor(async () => {
      const spent = await redis.hgetall(`${cluster.prefix}:spend:${userId}`);
      return Object.entries(spent).some(([f, v]) => f.endsWith(':b') && Number(v) >= 15_000);
    }, 'A’s spending shared');
    onB.socket.send(big('b'));
    // Small edits on B (under 2 kB in all, so B's own count stays below 20 kB) until B
    // charges what was spent on A and refuses, closing with 1013.
    let small = 0;
    const code = await new Promise<number>((resolve, reject) => {
      void onB.closed.then(resolve);
      const timer = setInterval(() => {
        if (onB.socket.readyState !== onB.socket.OPEN) return clearInterval(timer);
        if (++small > 50) {
          clearInterval(timer);
          reject(new Error('B never refused'));
          return;
        }
        const doc = new Y.Doc();
        doc.getText('t').insert(0, `s${small}`);
        onB.socket.send(updateFrame(Y.encodeStateAsUpdate(doc)));
      }, 100);
    });
    expect(code).toBe(1013);
    expect(onA.socket.readyState).toBe(onA.socket.OPEN);
  });
});
