import { minutesDoc, roomDoc } from '@tongxin/shared/live/documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoundtableSummary } from '@tongxin/shared/roundtables/roundtable.schemas';
import type { TestClient } from '../../support/http.ts';
import { onRealPostgres } from '../../support/database.ts';
import { newUser, residents, signedIn } from '../../support/people.ts';
import { connect, startLiveApp, waitFor, type LiveTestApp } from '../../support/realtime.ts';
import { meetingWorld, ok, userIdOf, type MeetingWorld } from '../../support/meeting-world.ts';

let t: LiveTestApp;
let w: MeetingWorld;
let voteId: string;

beforeAll(async () => {
  t = await startLiveApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  w = await meetingWorld(t.app, 2);
  ({ id: voteId } = ok<{ id: string }>(
    await w.chair.post(`/api/topics/${w.topicId}/votes`, { question: '同意吗', kind: 'yes_no' }),
    201,
  ));
  ok(await w.people[0]!.client.post(`/api/votes/${voteId}/ballots`, { choice: 'support' }), 201);
}, 180_000);
afterAll(() => t.close());

const as = (client: TestClient) => ({ cookie: client.cookie!, origin: t.origin });

/** The close code of a socket the server refuses (0 if it never closed that way). */
async function refusedCode(client: TestClient, docName: string): Promise<number> {
  const socket = connect(t.wsUrl, docName, as(client));
  const code = await new Promise<number>((resolve) =>
    socket.provider.on('connection-close', (event) => resolve(event?.code ?? 0)),
  );
  socket.provider.destroy();
  return code;
}

async function outsiders() {
  const other = await t.app.db
    .selectFrom('places')
    .select('id')
    .where('name', '=', '和平社区')
    .executeTakeFirstOrThrow();
  const [elsewhere] = await residents(t.app, other.id, 1, '和平社区居民');
  const noRole = await signedIn(t.app, await newUser(t.app, '自己注册的'));
  return { 'another community’s resident': elsewhere!.client, 'an account with no role': noRole };
}

describe(`who may watch a roundtable (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('refuses outsiders the views, the tally, the draft result and the live documents', async () => {
    const rt = `/api/roundtables/${w.id}`;
    const reads = [rt, `${rt}/me`, `/api/votes/${voteId}`, `${rt}/result`, `${rt}/result.md`];
    // A resident of the place sees all of it.
    for (const url of reads) {
      const res = await w.people[1]!.client.get(url);
      expect(res.statusCode, url).toBe(200);
    }
    const room = connect(t.wsUrl, roomDoc(w.id), as(w.people[1]!.client));
    await waitFor(() => room.provider.synced && room.doc.getMap('room').has('stage'), 'synced');
    room.provider.destroy();

    for (const [who, client] of Object.entries(await outsiders())) {
      for (const url of reads)
        expect((await client.get(url)).statusCode, `${who}: ${url}`).toBe(404);
      const list = ok<RoundtableSummary[]>(await client.get('/api/roundtables'));
      expect(
        list.map((r) => r.id),
        who,
      ).not.toContain(w.id);
      for (const name of [roomDoc(w.id), minutesDoc(w.id)]) {
        const code = await refusedCode(client, name);
        expect(code, `${who}: ${name}`).toBeGreaterThanOrEqual(4400);
        expect(code, `${who}: ${name}`).toBeLessThan(4500);
      }
      const ballot = await client.post(`/api/votes/${voteId}/ballots`, { choice: 'oppose' });
      expect(ballot.statusCode, who).toBe(404);
    }
  });

  it('lets the owner of an action item from above the place open its room and report', async () => {
    // Demo: 玻璃厂小区路灯维修 is a compound's meeting in 办事; 孙队长 leads a team of the
    // community and owns one of its items, so he is not a resident of the compound.
    const lights = await t.app.db
      .selectFrom('roundtables')
      .select('id')
      .where('title', '=', '玻璃厂小区路灯维修')
      .executeTakeFirstOrThrow();
    const leader = await signedIn(t.app, await userIdOf(t.app, 'leader'));
    ok(await leader.get(`/api/roundtables/${lights.id}`));
    ok(await leader.get(`/api/roundtables/${lights.id}/me`));
    const list = ok<RoundtableSummary[]>(await leader.get('/api/roundtables'));
    expect(list.map((r) => r.id)).toContain(lights.id);
    const room = connect(t.wsUrl, roomDoc(lights.id), as(leader));
    await waitFor(() => room.provider.synced && room.doc.getMap('room').has('stage'), 'synced');
    room.provider.destroy();
  });

  it('keeps the published result (公示) public', async () => {
    await t.app.db
      .updateTable('roundtables')
      .set({ stage: 'closed' })
      .where('id', '=', w.id)
      .execute();
    for (const [who, client] of Object.entries(await outsiders())) {
      const result = await client.get(`/api/roundtables/${w.id}/result`);
      expect(result.statusCode, who).toBe(200);
      expect((await client.get(`/api/roundtables/${w.id}`)).statusCode, who).toBe(404);
    }
  });
});
