import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TestClient } from '../../support/http.ts';
import { newUser, signedIn } from '../../support/people.ts';
import {
  connect,
  handledSoFar,
  startLiveApp,
  waitFor,
  type LiveTestApp,
} from '../../support/realtime.ts';

// Rights that change while sockets are open: a revoked role closes the sockets that needed
// it at once, and a role gained or lost that changes read into write (or back) reopens them
// with the new rights. Real y-websocket clients on the demo's own documents.
let live: LiveTestApp;
let secretary: TestClient;
let community: string;
let roundtable: string;
const opened: Array<ReturnType<typeof connect>> = [];

beforeAll(async () => {
  live = await startLiveApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  secretary = new TestClient(live.app);
  expect((await secretary.login('secretary', 'tongxin-demo')).statusCode).toBe(200);
  const place = await live.app.db
    .selectFrom('places')
    .select('id')
    .where('name', '=', '幸福社区')
    .executeTakeFirstOrThrow();
  community = place.id;
  // 电动车充电难 is live in 议事: the chair and scribes write its minutes, residents read.
  const meeting = await live.app.db
    .selectFrom('roundtables')
    .select('id')
    .where('title', '=', '电动车充电难')
    .executeTakeFirstOrThrow();
  roundtable = meeting.id;
});
afterEach(() => {
  for (const c of opened.splice(0)) c.provider.destroy();
});
afterAll(() => live.close());

function client(docName: string, cookie: string) {
  const c = connect(live.wsUrl, docName, { cookie, origin: live.origin });
  opened.push(c);
  return c;
}

/** Close codes the client sees, in order. */
function closes(c: ReturnType<typeof connect>) {
  const codes: number[] = [];
  c.provider.on('connection-close', (event) => codes.push(event?.code ?? 0));
  return codes;
}

async function assignmentOf(userId: string, role: string) {
  const row = await live.app.db
    .selectFrom('roleAssignments')
    .select('id')
    .where('userId', '=', userId)
    .where('role', '=', role as 'scribe')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** What the server holds of one Y.Text in the minutes. */
const minutesText = async (name: string) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await live.app.live.state(`roundtable-minutes:${roundtable}`));
  return doc.getText(name).toString();
};

describe('live sockets follow changing rights', () => {
  it('a revoked role closes the board it opened, for good (4403)', async () => {
    const userId = await newUser(live.app, '搬走的居民');
    const compound = await live.app.db
      .selectFrom('places')
      .select('id')
      .where('name', '=', '阳光花园')
      .executeTakeFirstOrThrow();
    await live.app.db
      .insertInto('roleAssignments')
      .values({ userId, role: 'resident', placeId: compound.id, unitId: null })
      .execute();
    const person = await signedIn(live.app, userId);
    const board = client(`claims-board:${community}`, person.cookie!);
    const codes = closes(board);
    let gaveUp = false;
    board.provider.on('closed', () => (gaveUp = true));
    await waitFor(() => board.provider.synced, 'the board syncs');

    const revoked = await secretary.request(
      'DELETE',
      `/api/roles/${await assignmentOf(userId, 'resident')}`,
      {},
    );
    expect(revoked.statusCode).toBe(204);
    await waitFor(() => codes.length > 0, 'the socket closes', 5_000);
    expect(codes).toEqual([4403]);
    // 44xx is permanent: the client gives up (its reconnect timer finds nothing to do).
    expect(gaveUp).toBe(true);
    expect(board.provider.shouldConnect).toBe(false);
    expect(board.provider.wsconnected).toBe(false);
  });

  it('a scribe whose role is revoked reopens the minutes read-only (4000)', async () => {
    const scribe = new TestClient(live.app);
    expect((await scribe.login('scribe', 'tongxin-demo')).statusCode).toBe(200);
    const minutes = client(`roundtable-minutes:${roundtable}`, scribe.cookie!);
    const codes = closes(minutes);
    const observer = client(`roundtable-minutes:${roundtable}`, secretary.cookie!);
    await waitFor(() => minutes.provider.synced, 'the minutes sync');
    minutes.doc.getText('probe').insert(0, '记录员写的');
    await waitFor(
      async () => (await minutesText('probe')).includes('记录员写的'),
      'the scribe writes',
    );

    const me = (await scribe.get('/api/auth/me')).json<{ id: string }>();
    const revoked = await secretary.request(
      'DELETE',
      `/api/roles/${await assignmentOf(me.id, 'scribe')}`,
      {},
    );
    expect(revoked.statusCode).toBe(204);
    await waitFor(() => codes.length > 0, 'the socket closes', 5_000);
    expect(codes[0]).toBe(4000);
    await waitFor(() => minutes.provider.synced && minutes.provider.wsconnected, 'it reopens');
    minutes.doc.getText('probe').insert(0, '撤销之后');
    await handledSoFar(live.app, minutes, observer);
    expect(await minutesText('probe')).not.toContain('撤销之后');
  });

  it('a resident who accepts a scribe invitation reopens the minutes writable', async () => {
    const resident = new TestClient(live.app);
    expect((await resident.login('resident', 'tongxin-demo')).statusCode).toBe(200);
    const minutes = client(`roundtable-minutes:${roundtable}`, resident.cookie!);
    const codes = closes(minutes);
    const observer = client(`roundtable-minutes:${roundtable}`, secretary.cookie!);
    await waitFor(() => minutes.provider.synced, 'the minutes sync');
    minutes.doc.getText('probe2').insert(0, '还不能写');
    await handledSoFar(live.app, minutes, observer);
    expect(await minutesText('probe2')).not.toContain('还不能写');

    const invitation = await secretary.post('/api/invitations', {
      role: 'scribe',
      placeId: community,
    });
    expect(invitation.statusCode).toBe(201);
    const accepted = await resident.post('/api/invitations/accept', {
      code: invitation.json<{ code: string }>().code,
    });
    expect(accepted.statusCode).toBe(200);
    await waitFor(() => codes.length > 0, 'the socket closes', 5_000);
    expect(codes[0]).toBe(4000);
    await waitFor(() => minutes.provider.synced && minutes.provider.wsconnected, 'it reopens');
    minutes.doc.getText('probe2').insert(0, '现在可以写');
    await waitFor(
      async () => (await minutesText('probe2')).includes('现在可以写'),
      'the new scribe writes',
    );
  });
});
