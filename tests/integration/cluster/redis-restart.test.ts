import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  clusterTestsEnabled,
  createTestCluster,
  type ClusterInstance,
  type TestCluster,
} from '../../support/cluster.ts';
import { OwnRedis, redisServerInstalled, storedDoc } from '../../support/redis-server.ts';
import { connect, signUp, waitFor } from '../../support/realtime.ts';

// The real thing the proxy in cluster.test.ts only imitates: the Redis both instances use is
// killed -9 in the middle of editing and started again, empty, on the same port. Editing
// goes on throughout; once Redis is back both instances converge within 5 s and every edit
// is there exactly once, in both copies and in the log.

describe.skipIf(!clusterTestsEnabled || !redisServerInstalled)('Redis restarted', () => {
  let cluster: TestCluster | undefined;
  let redis: OwnRedis | undefined;
  const opened: Array<{ provider: { destroy(): void } }> = [];
  afterEach(() => {
    for (const c of opened.splice(0)) c.provider.destroy();
  });
  afterAll(async () => {
    await cluster?.close();
    await redis?.kill();
  });

  it('in the middle of editing: ready goes 503 and back, both instances converge within 5 s of its return, nothing lost', async () => {
    redis = await OwnRedis.start();
    cluster = await createTestCluster();
    const start = () => cluster!.start({ redisUrl: redis!.url });
    const [a, b] = [await start(), await start()];
    const ready = async (on: ClusterInstance) =>
      (await on.app.inject({ method: 'GET', url: '/api/ready' })).statusCode;
    await waitFor(async () => (await ready(a)) === 200 && (await ready(b)) === 200, 'ready');

    const docName = 'test:redis-restart';
    const w1 = await signUp(a.app, 'writer1');
    const w2 = await signUp(a.app, 'writer2');
    const client = (on: ClusterInstance, cookie: string) => {
      const c = connect(on.wsUrl, docName, { cookie, origin: on.origin });
      opened.push(c);
      return c;
    };
    const onA = client(a, w1);
    const onB = client(b, w2);
    await waitFor(() => onA.provider.synced && onB.provider.synced, 'sync');

    // Two writers, one on each instance, each adding a token every 25 ms until told to stop
    // (the pace of the load, not a wait for anything).
    const made = { a: 0, b: 0 };
    let editing = true;
    const writer = (c: typeof onA, tag: 'a' | 'b') =>
      new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (!editing) {
            clearInterval(timer);
            return resolve();
          }
          c.text.insert(tag === 'a' ? c.text.length : 0, `${tag}${made[tag]++};`);
        }, 25);
      });
    const writers = Promise.all([writer(onA, 'a'), writer(onB, 'b')]);
    const has = (text: string, tag: string, i: number) => text.includes(`${tag}${i};`);

    // Crossing through Redis first.
    await waitFor(
      () => has(onB.text.toString(), 'a', 10) && has(onA.text.toString(), 'b', 10),
      'edits cross before the kill',
    );
    await redis.kill();
    const killedAt = { a: made.a, b: made.b };
    await waitFor(async () => (await ready(a)) === 503 && (await ready(b)) === 503, 'ready 503');
    expect((await a.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);

    // Redis down: editing goes on, each instance serving its own sockets (a second phone on
    // A sees A's writer's edits made after the kill).
    const sameSide = client(a, w2);
    await waitFor(
      () => made.a >= killedAt.a + 20 && made.b >= killedAt.b + 20,
      'twenty more edits each while Redis is down',
    );
    const downTo = made.a - 1;
    await waitFor(() => has(sameSide.text.toString(), 'a', downTo), 'A serves its own phones');

    await redis.up();
    const back = Date.now();
    await waitFor(async () => (await ready(a)) === 200 && (await ready(b)) === 200, 'ready 200');
    // A little more editing after the return, then stop: everything made must arrive.
    const backAt = { a: made.a, b: made.b };
    await waitFor(() => made.a >= backAt.a + 10 && made.b >= backAt.b + 10, 'ten more each');
    editing = false;
    await writers;
    const everyEdit = (text: string) => {
      for (const tag of ['a', 'b'] as const)
        for (let i = 0; i < made[tag]; i++) if (!has(text, tag, i)) return false;
      return true;
    };
    await waitFor(
      () =>
        onA.text.toString() === onB.text.toString() &&
        everyEdit(onA.text.toString()) &&
        sameSide.text.toString() === onA.text.toString(),
      'both instances converge',
      15_000,
    );
    const converged = Date.now() - back;
    console.log(
      `Redis restart: ${made.a + made.b} edits (${killedAt.a + killedAt.b} before the kill), ` +
        `converged ${converged} ms after Redis returned`,
    );
    expect(converged).toBeLessThan(5000);

    // Exactly once, in the copies and in the log.
    const text = onA.text.toString();
    const stored = (await storedDoc(a.app.db, docName)).getText('t').toString();
    for (const tag of ['a', 'b'] as const)
      for (let i = 0; i < made[tag]; i++) {
        expect(text.split(`${tag}${i};`).length - 1, `${tag}${i}`).toBe(1);
        expect(stored.split(`${tag}${i};`).length - 1, `${tag}${i} stored`).toBe(1);
      }
    expect(stored).toBe(text);

    // And the fast path is back, not only the log: both instances subscribed again to the
    // document's channel on the new Redis, and an edit crosses through it.
    const probe = new Redis(redis.url);
    try {
      const channel = `${cluster.prefix}:doc:${docName}`;
      await waitFor(
        async () => ((await probe.pubsub('NUMSUB', channel)) as [string, number])[1] === 2,
        'both instances subscribed again',
      );
    } finally {
      probe.disconnect();
    }
    onA.text.insert(0, 'after;');
    await waitFor(() => onB.text.toString().startsWith('after;'), 'an edit crosses again');
  });
});
