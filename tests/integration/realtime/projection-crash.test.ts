import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDb } from '@tongxin/db/create-db';
import { insertNotifications } from '@tongxin/db/notifications/notifications.queries';
import { waitlistsOf } from '@tongxin/db/teams/teams.queries';
import { computeBoard } from '@tongxin/server/double-report/board';
import { loadInbox } from '@tongxin/server/notifications/notifier';
import type { Board } from '@tongxin/shared/double-report/claims.schemas';
import type { Inbox } from '@tongxin/shared/notifications/notifications';
import type { BoardActivity } from '@tongxin/shared/teams/teams.schemas';
import {
  cleanUpLiveProcesses,
  liveStorage,
  startLiveProcess,
  type LiveProcess,
  type LiveStorage,
} from '../../support/live-process.ts';
import { connect, logInOver, waitFor } from '../../support/realtime.ts';

// The server-built boards and inboxes are projections of the database. Here the rows change
// while the server is down after a kill -9 (what a crash between a command's commit and its
// publication leaves behind, made certain): the stored documents are now behind the rows.
// After the restart, a y-websocket client opening them must see what the rows say.

afterAll(cleanUpLiveProcesses);

async function getJson<T>(server: LiveProcess, cookie: string, path: string): Promise<T> {
  const res = await fetch(`${server.origin}/api${path}`, {
    headers: { cookie, origin: server.origin },
  });
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** The storage of a stopped server, opened directly. */
function openStorage(store: LiveStorage) {
  return createDb({
    dataDir: store.env.LIVE_DATA_DIR,
    databaseUrl: store.env.LIVE_DATABASE_URL,
    poolSize: 1,
  });
}

const docNames = (community: string, me: string) => ({
  teams: `teams-board:${community}`,
  claims: `claims-board:${community}`,
  inbox: `inbox:${me}`,
});

const activitiesOf = (doc: Y.Doc) => doc.getMap<BoardActivity>('activities');
const boardOf = (doc: Y.Doc) => doc.getMap<Board>('board').get('data');
const inboxOf = (doc: Y.Doc) => doc.getMap<Inbox>('inbox').get('data');
const withoutTime = ({ updatedAt: _, ...board }: Board) => board;

describe('server-built live documents are projected from the database on load', () => {
  it('after kill -9 and rows changed behind its back, the teams board, claims board and inbox agree with the rows', async () => {
    const store = await liveStorage();
    const first = await startLiveProcess(store, { LIVE_DEMO: '1' });
    const cookie = await logInOver(first.origin, 'secretary');
    const me = (await getJson<{ id: string }>(first, cookie, '/auth/me')).id;
    const [community] = await getJson<Array<{ id: string }>>(
      first,
      cookie,
      '/double-report/communities',
    );
    const names = docNames(community!.id, me);
    const as = { cookie, origin: first.origin };

    // Each document is opened once, so it is stored as it is now.
    const before = Object.values(names).map((name) => connect(first.wsUrl, name, as));
    const [teamsBefore, claimsBefore, inboxBefore] = before.map((c) => c.doc) as [
      Y.Doc,
      Y.Doc,
      Y.Doc,
    ];
    await waitFor(
      () =>
        before.every((c) => c.provider.synced) &&
        activitiesOf(teamsBefore).size > 0 &&
        boardOf(claimsBefore) !== undefined &&
        inboxOf(inboxBefore) !== undefined,
      'documents loaded',
    );
    const waiting = [...activitiesOf(teamsBefore).entries()].find(([, s]) => s.waitlist.length > 0);
    expect(waiting, 'the demo has an activity with a waiting list').toBeDefined();
    const [activityId, activityBefore] = waiting!;
    const openBefore = boardOf(claimsBefore)!.openItems;
    const unreadBefore = inboxOf(inboxBefore)!.unread;
    for (const c of before) c.provider.destroy();
    await first.kill();

    // Committed, never published: one waiting volunteer leaves, an open item is closed,
    // a notification arrives.
    const storage = await openStorage(store);
    const { db } = storage;
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable('signups')
        .set({ status: 'cancelled', cancelledAt: new Date() })
        .where('id', '=', activityBefore.waitlist[0]!)
        .execute();
      const open = await tx
        .selectFrom('claimItems')
        .select('id')
        .where('communityId', '=', community!.id)
        .where('status', '=', 'open')
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('claimItems')
        .set({ status: 'closed' })
        .where('id', '=', open.id)
        .execute();
      await insertNotifications(tx, [me], {
        kind: 'leader_message',
        params: { team: '环境整治队', message: '明早七点集合' },
        link: null,
      });
    });
    const rows = {
      waitlist: (await waitlistsOf(db, [activityId])).get(activityId),
      board: withoutTime(await computeBoard(db, community!.id)),
      inbox: await loadInbox(db, me),
    };
    await storage.close();
    // The change is one the stale documents do not show.
    expect(rows.waitlist).toEqual(activityBefore.waitlist.slice(1));
    expect(rows.board.openItems).toBe(openBefore - 1);
    expect(rows.inbox.unread).toBe(unreadBefore + 1);

    const second = await startLiveProcess(store);
    const after = Object.values(names).map((name) =>
      connect(second.wsUrl, name, { cookie, origin: second.origin }),
    );
    const [teams, claims, inbox] = after.map((c) => c.doc) as [Y.Doc, Y.Doc, Y.Doc];
    await waitFor(() => after.every((c) => c.provider.synced), 'documents synced');
    // Soft: each of the three is reported on its own.
    expect.soft(activitiesOf(teams).get(activityId)?.waitlist).toEqual(rows.waitlist);
    expect.soft(withoutTime(boardOf(claims)!)).toEqual(rows.board);
    expect.soft(inboxOf(inbox)).toEqual(rows.inbox);
    for (const c of after) c.provider.destroy();
    await second.kill();
  }, 240_000);
});
