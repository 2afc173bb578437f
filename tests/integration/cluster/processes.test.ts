import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { clusterTestsEnabled, FailoverBalancer, TEST_REDIS_URL } from '../../support/cluster.ts';
import {
  cleanUpLiveProcesses,
  liveStorage,
  startLiveProcess,
  type LiveProcess,
  type LiveStorage,
} from '../../support/live-process.ts';
import { connect, rawSocket, signUpOver, waitFor } from '../../support/realtime.ts';

// Instances as child processes on one PostgreSQL (TEST_DATABASE_URL) and one Redis: what a
// deploy runs, down to SIGTERM.

describe.skipIf(!clusterTestsEnabled)('several instances as processes', () => {
  const opened: Array<{ provider: { destroy(): void } }> = [];
  afterEach(() => {
    for (const c of opened.splice(0)) c.provider.destroy();
  });
  afterAll(async () => {
    await cleanUpLiveProcesses();
  });

  function start(store: LiveStorage, prefix: string): Promise<LiveProcess> {
    return startLiveProcess(store, { LIVE_REDIS_URL: TEST_REDIS_URL, LIVE_REDIS_PREFIX: prefix });
  }
  function client(on: LiveProcess, docName: string, cookie: string) {
    const c = connect(on.wsUrl, docName, { cookie, origin: on.origin });
    opened.push(c);
    return c;
  }

  it('converge across processes, a third gets everything, SIGTERM drains with 1012', async () => {
    const store = await liveStorage();
    const prefix = `tongxin-test-${randomBytes(6).toString('hex')}`;
    const [a, b] = await Promise.all([start(store, prefix), start(store, prefix)]);
    const onReady = async (p: LiveProcess) => (await fetch(`${p.origin}/api/ready`)).status === 200;
    await waitFor(async () => (await onReady(a)) && (await onReady(b)), 'both ready');
    const w1 = await signUpOver(a.origin, 'writer1');
    const w2 = await signUpOver(b.origin, 'writer2');
    const onA = client(a, 'test:processes', w1);
    const onB = client(b, 'test:processes', w2);
    await waitFor(() => onA.provider.synced && onB.provider.synced, 'sync');
    for (let i = 0; i < 30; i++) {
      onA.text.insert(onA.text.length, `a${i};`);
      onB.text.insert(0, `b${i};`);
    }
    const all = (text: string) =>
      [...Array(30).keys()].every((i) => text.includes(`a${i};`) && text.includes(`b${i};`));
    await waitFor(
      () => onA.text.toString() === onB.text.toString() && all(onA.text.toString()),
      'two processes converge',
    );
    const c = await start(store, prefix);
    const late = client(c, 'test:processes', w1);
    await waitFor(() => late.text.toString() === onA.text.toString(), 'a third gets everything');

    // SIGTERM on A: its socket closes with 1012, what it took is on B, it exits cleanly.
    const raw = rawSocket(a.wsUrl, 'test:processes', { cookie: w1, origin: a.origin });
    await raw.opened;
    onA.text.insert(0, 'last-on-a;');
    await waitFor(() => onB.text.toString().includes('last-on-a;'), 'the last edit on B');
    const exit = a.terminate();
    expect(await raw.closed).toBe(1012);
    expect(await exit).toBe(0);
    onB.text.insert(0, 'after;');
    await waitFor(() => late.text.toString() === onB.text.toString(), 'B and C go on');
  });

  it('kill -9 of an instance: its phones are back on another through the balancer, nothing lost or doubled', async () => {
    const store = await liveStorage();
    const prefix = `tongxin-test-${randomBytes(6).toString('hex')}`;
    const [a, b] = await Promise.all([start(store, prefix), start(store, prefix)]);
    const balancer = new FailoverBalancer([a.port, b.port]);
    await balancer.up();
    try {
      const w1 = await signUpOver(a.origin, 'phone1');
      const w2 = await signUpOver(b.origin, 'phone2');
      // The phone reaches A through the balancer; the watcher sits on B.
      const phone = connect(balancer.wsUrl, 'test:kill', { cookie: w1, origin: balancer.origin });
      opened.push(phone);
      const watcher = client(b, 'test:kill', w2);
      await waitFor(() => phone.provider.synced && watcher.provider.synced, 'sync');
      for (let i = 0; i < 20; i++) phone.text.insert(phone.text.length, `p${i};`);
      // Relayed to B: acknowledged in the only sense a phone knows.
      await waitFor(() => watcher.text.toString().includes('p19;'), 'relayed before the kill');
      const killed = Date.now();
      await a.kill();
      await waitFor(() => !phone.provider.wsconnected, 'the phone notices');
      await waitFor(
        () => phone.provider.wsconnected && phone.provider.synced,
        'the phone back, on B',
        10_000,
      );
      expect(Date.now() - killed).toBeLessThan(10_000);
      for (let i = 20; i < 30; i++) phone.text.insert(phone.text.length, `p${i};`);
      await waitFor(
        () =>
          watcher.text.toString() === phone.text.toString() &&
          watcher.text.toString().includes('p29;'),
        'converged after the kill',
      );
      const text = watcher.text.toString();
      for (let i = 0; i < 30; i++) expect(text.split(`p${i};`).length - 1, `p${i}`).toBe(1);
    } finally {
      await balancer.down();
    }
  });
});
