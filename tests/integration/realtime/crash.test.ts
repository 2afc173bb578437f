import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  cleanUpLiveProcesses,
  liveStorage as storage,
  startLiveProcess as start,
} from '../../support/live-process.ts';
import { connect, signUpOver, waitFor } from '../../support/realtime.ts';

afterAll(cleanUpLiveProcesses);

const tokens = (text: string) => text.split(';').filter(Boolean);

describe('live documents survive kill -9', () => {
  it('keeps every update others received, and offline edits converge without duplicates', async () => {
    const store = await storage();
    const first = await start(store);
    const cookieA = await signUpOver(first.origin, 'writer-a');
    const cookieB = await signUpOver(first.origin, 'writer-b');
    const a = connect(first.wsUrl, 'test:crash', { cookie: cookieA, origin: first.origin });
    const b = connect(first.wsUrl, 'test:crash', { cookie: cookieB, origin: first.origin });
    await waitFor(() => a.provider.synced && b.provider.synced, 'sync');
    const N = 40;
    for (let i = 0; i < N; i++) a.text.insert(a.text.length, `a${i};`);
    await waitFor(() => tokens(b.text.toString()).length === N, 'b received all');
    await first.kill();
    a.provider.disconnect();
    b.provider.disconnect();
    // Both keep editing while the server is down.
    a.text.insert(0, 'offA1;offA2;');
    b.text.insert(b.text.length, 'offB1;');

    const second = await start(store, { LIVE_PORT: String(first.port) });
    const fresh = connect(second.wsUrl, 'test:crash', { cookie: cookieA, origin: second.origin });
    await waitFor(() => fresh.provider.synced, 'fresh sync');
    const afterRestart = tokens(fresh.text.toString());
    for (let i = 0; i < N; i++) expect(afterRestart).toContain(`a${i}`);

    a.provider.connect();
    b.provider.connect();
    const all = () => [a, b, fresh].map((c) => c.text.toString());
    await waitFor(
      () => new Set(all()).size === 1 && tokens(all()[0]!).length === N + 3,
      'converge',
    );
    const final = tokens(fresh.text.toString());
    expect(new Set(final).size).toBe(final.length); // nothing duplicated
    for (const c of [a, b, fresh]) c.provider.destroy();
    await second.kill();
  }, 240_000);

  it('loses nothing when killed while compacting', async () => {
    const store = await storage();
    // Compact after every other update, so the kill lands amid compactions.
    const first = await start(store, { LIVE_COMPACT_AFTER: '2' });
    const cookie = await signUpOver(first.origin, 'writer-c');
    const a = connect(first.wsUrl, 'test:compact', { cookie, origin: first.origin });
    const b = connect(first.wsUrl, 'test:compact', { cookie, origin: first.origin });
    await waitFor(() => a.provider.synced && b.provider.synced, 'sync');
    let i = 0;
    const writer = setInterval(() => a.text.insert(a.text.length, `c${i++};`), 2);
    await waitFor(() => tokens(b.text.toString()).length >= 60, 'b received 60');
    const received = tokens(b.text.toString());
    await first.kill();
    clearInterval(writer);
    a.provider.destroy();
    b.provider.destroy();

    const second = await start(store, { LIVE_COMPACT_AFTER: '2' });
    const fresh = connect(second.wsUrl, 'test:compact', {
      cookie,
      origin: second.origin,
      doc: new Y.Doc(),
    });
    await waitFor(() => fresh.provider.synced, 'fresh sync');
    const stored = tokens(fresh.text.toString());
    for (const token of received) expect(stored).toContain(token);
    fresh.provider.destroy();
    await second.kill();
  }, 240_000);
});
