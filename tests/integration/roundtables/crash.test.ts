import { minutesDoc, roomDoc } from '@tongxin/shared/live/documents';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RoomState, VoteResult } from '@tongxin/shared/roundtables/floor.schemas';
import { minutesTextKey } from '@tongxin/shared/roundtables/floor.schemas';
import {
  cleanUpLiveProcesses,
  liveStorage,
  startLiveProcess,
  type LiveProcess,
} from '../../support/live-process.ts';
import { connect, logInOver, waitFor } from '../../support/realtime.ts';

// The demo's live roundtable, driven over HTTP and y-websocket against a server in its own
// process, which is killed with SIGKILL the moment the last command is answered. Whatever
// was answered 2xx is in the database, and the room a reconnecting client sees afterwards is
// rebuilt from it: nothing answered is lost, and the minutes keep every edit that was relayed.

afterAll(cleanUpLiveProcesses);

function caller(server: () => LiveProcess, cookie: string) {
  return async <T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> => {
    const { origin } = server();
    const res = await fetch(`${origin}/api${path}`, {
      method,
      headers: { cookie, origin, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  };
}

describe('a live roundtable survives kill -9', () => {
  it('rebuilds the room from the database and keeps the minutes', async () => {
    const store = await liveStorage();
    let server = await startLiveProcess(store, { LIVE_DEMO: '1' });
    const current = () => server;
    const [chairCookie, zhangCookie, liuCookie] = await Promise.all([
      logInOver(server.origin, 'secretary'),
      logInOver(server.origin, 'resident'),
      logInOver(server.origin, 'resident2'),
    ]);
    const chair = caller(current, chairCookie);
    const liu = caller(current, liuCookie);
    const list = await chair<{ id: string; title: string }[]>('GET', '/roundtables');
    const id = list.find((r) => r.title === '电动车充电难')!.id;

    const as = (cookie: string) => ({ cookie, origin: server.origin });
    const room = connect(server.wsUrl, roomDoc(id), as(zhangCookie));
    const zhangMinutes = connect(server.wsUrl, minutesDoc(id), as(zhangCookie));
    const chairMinutes = connect(server.wsUrl, minutesDoc(id), as(chairCookie));
    const get = <K extends keyof RoomState>(doc: Y.Doc, key: K) =>
      doc.getMap('room').get(key) as RoomState[K];
    await waitFor(
      () =>
        room.provider.synced &&
        zhangMinutes.provider.synced &&
        chairMinutes.provider.synced &&
        get(room.doc, 'vote')?.open === true,
      'synced',
    );
    const agenda = get(room.doc, 'agenda');
    const [first, second] = agenda;
    const vote = get(room.doc, 'vote')!;

    // The chair writes the minutes; 张阿姨's copy receives it (so the server stored it).
    const line = '钱奶奶：充电棚要离住户远一点。';
    chairMinutes.doc.getText(minutesTextKey(first!.id)).insert(0, line);
    await waitFor(
      () => zhangMinutes.doc.getText(minutesTextKey(first!.id)).toString().includes(line),
      'minutes relayed',
    );

    // A ballot, the close, a resolution, a deferral and the move to 办事, then kill -9
    // before the room has necessarily been published.
    await liu('POST', `/votes/${vote.id}/ballots`, { proposalId: vote.options[1]!.key });
    await chair('POST', `/votes/${vote.id}/close`, {});
    await chair('POST', `/topics/${first!.id}/resolution`, {
      text: '在小区东门空地建集中充电棚。',
      voteId: vote.id,
    });
    await chair('POST', `/topics/${second!.id}/defer`, {});
    await chair('POST', `/roundtables/${id}/advance`, { from: 'discuss' });
    const port = server.port;
    await server.kill();

    server = await startLiveProcess(store, { LIVE_PORT: String(port) });
    // The same y-websocket clients reconnect by themselves and catch up.
    await waitFor(() => get(room.doc, 'stage') === 'act', 'room caught up', 20_000);
    const result = await chair<VoteResult>('GET', `/votes/${vote.id}`);
    const seen = get(room.doc, 'vote');
    expect(seen).toMatchObject({ id: vote.id, open: false, counted: result.counted });
    expect(seen!.tally).toEqual(result.tally);
    expect(get(room.doc, 'agenda')).toEqual([
      expect.objectContaining({ id: first!.id, resolution: '在小区东门空地建集中充电棚。' }),
      expect.objectContaining({ id: second!.id, deferred: true, resolution: null }),
    ]);
    expect(get(room.doc, 'speaker')).toBeNull();

    // A newcomer's room equals the reconnected one: one projection, from the database.
    const fresh = connect(server.wsUrl, roomDoc(id), as(liuCookie));
    await waitFor(() => fresh.provider.synced && get(fresh.doc, 'stage') === 'act', 'fresh');
    expect(fresh.doc.getMap('room').toJSON()).toEqual(room.doc.getMap('room').toJSON());

    // The minutes: the stored edit is there, and editing goes on over the same sockets.
    const text = (c: { doc: Y.Doc }) => c.doc.getText(minutesTextKey(first!.id)).toString();
    await waitFor(() => chairMinutes.provider.synced, 'minutes resynced', 20_000);
    chairMinutes.doc.getText(minutesTextKey(first!.id)).insert(line.length, '（会后补记）');
    await waitFor(() => text(zhangMinutes).endsWith('（会后补记）'), 'edit after restart');
    expect(text(zhangMinutes)).toBe(`${line}（会后补记）`);

    for (const c of [room, zhangMinutes, chairMinutes, fresh]) c.provider.destroy();
    await server.kill();
  }, 240_000);
});
