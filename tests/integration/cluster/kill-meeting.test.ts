import { roomDoc } from '@tongxin/shared/live/documents';
import type { RoomState, VoteResult } from '@tongxin/shared/roundtables/floor.schemas';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterTestsEnabled, meetingCluster, type MeetingCluster } from '../../support/cluster.ts';
import { postUntilAnswered, tookEffect, type Answered } from '../../support/meeting-load.ts';
import { waitFor } from '../../support/realtime.ts';
import { storedDoc } from '../../support/redis-server.ts';
import { ok } from '../../support/meeting-world.ts';

// kill -9 of one of two instances (child processes on one PostgreSQL and one Redis) in the
// middle of a 200-phone meeting: the phones are thin protocol clients (tests/support/
// thin-phone.ts) through a balancer that spreads them over both, four of them writing (and one real y-websocket phone), all
// 200 casting a ballot in a real roundtable vote. Its phones all come back on B (how fast is
// `npm run bench:cluster`'s figure, within issue 17's 10 s: a test waits, it does not time), every
// update relayed before the kill is there once (in B's copy and in the log: a thin phone
// never offers what it wrote again, so nothing is saved by a phone resending it), and every
// ballot answered 2xx is counted once.

const PHONES = 200;
const WRITERS = 4;

describe.skipIf(!clusterTestsEnabled)('kill -9 in a 200-phone meeting', () => {
  let meeting: MeetingCluster | undefined;
  afterAll(() => meeting?.close());

  it('its phones are back on B; every relayed update once, every 2xx ballot counted once', async () => {
    // An instance in the test process seeds the demo district and the meeting; the two that
    // carry the phones (A and B) are child processes.
    meeting = await meetingCluster({
      instances: 2,
      voters: PHONES,
      name: '手机',
      question: '充电棚建在东门？',
    });
    const { helper, world: w, voters, vote, connect, thinPhone } = meeting;
    const a = meeting.instances[0]!;
    const b = meeting.instances[1]!;
    const { origin } = meeting.balancer;
    const docName = 'test:meeting';
    // The first connection through the balancer goes to A: a real y-websocket phone there.
    const real = connect(docName, voters[0]!.client.cookie!);
    await waitFor(() => real.provider.synced, 'the real phone on A');
    // Watchers on B, directly: the meeting document and the room with the vote.
    const watcher = connect(docName, w.chair.cookie!, b);
    const room = connect(roomDoc(w.id), w.chair.cookie!, b);
    const roomVote = () => (room.doc.getMap('room').get('vote') as RoomState['vote']) ?? null;

    // 200 phones, alternately through A and B.
    const joining = Date.now();
    const phones = voters.map((voter, i) =>
      thinPhone({
        docName,
        cookie: voter.client.cookie!,
        presence: { phone: i },
        resend: false,
      }),
    );
    await waitFor(() => phones.every((p) => p.synced), 'all 200 phones synced', 30_000);
    const joined = Date.now() - joining;
    await waitFor(() => watcher.provider.synced && roomVote()?.id === vote.id, 'the watchers');

    // Writers, each writing a token every 250 ms while synced.
    const written: string[] = [];
    let serial = 0;
    const writing = setInterval(() => {
      for (const [i, phone] of phones.slice(0, WRITERS).entries()) {
        const token = `p${i}.${serial};`;
        if (phone.edit(token)) written.push(token);
      }
      const token = `r.${serial};`;
      if (real.provider.wsconnected && real.provider.synced) {
        real.text.insert(0, token);
        written.push(token);
      }
      serial++;
    }, 250);

    // Ballots, one every 80 ms through the balancer (a hall of 300 votes within a minute: this
    // is more than twice that), each retried until answered.
    const ballots: Array<Promise<Answered>> = [];
    const answered: Answered[] = [];
    const casting = (async () => {
      for (const [i, voter] of voters.entries()) {
        const sent = postUntilAnswered(origin, `/votes/${vote.id}/ballots`, voter.client.cookie!, {
          choice: i % 3 ? 'support' : 'oppose',
        });
        ballots.push(sent);
        void sent.then((r) => answered.push(r));
        await new Promise((r) => setTimeout(r, 80));
      }
    })();

    // Kill A once a third of the ballots are answered and edits have crossed.
    await waitFor(
      () => answered.length >= PHONES / 3 && written.length >= 8 * (WRITERS + 1),
      'a third of the ballots and some edits',
    );
    const relayed = watcher.text.toString();
    const killedAt = Date.now();
    await a.kill();

    await waitFor(() => phones.filter((p) => p.closes.length > 0).length > 0, 'A’s phones cut');
    await waitFor(
      () => phones.every((p) => p.synced) && real.provider.wsconnected && real.provider.synced,
      'every phone back',
      // A cap, not a budget (the test's own timeout is the rest): 100 phones reconnecting to
      // one instance on a busy 2-core machine took 7–14 s in loaded runs.
      60_000,
    );
    const back = Date.now() - killedAt;
    const cutPhones = phones.filter((p) => p.closes.length > 0);
    const cut = cutPhones.length;
    // min/median/max ms after the kill
    const spread = (xs: number[]) => {
      xs.sort((x, y) => x - y);
      return `${xs[0]}/${xs[xs.length >> 1]}/${xs.at(-1)}`;
    };
    const timeline =
      `cut ${spread(cutPhones.map((p) => p.closedAt - killedAt))}, ` +
      `reopened ${spread(cutPhones.map((p) => p.openedAt - killedAt))}, ` +
      `synced ${spread(cutPhones.map((p) => p.syncedAt - killedAt))} ms`;
    // Present again, as seen on B: every phone's current presence.
    await waitFor(() => {
      const states = watcher.provider.awareness.getStates();
      return phones.every((p) => states.has(p.own.clientID));
    }, 'every phone present on B');

    await casting;
    const results = await Promise.all(ballots);
    // A few more rounds of edits after the return, then stop.
    const after = serial;
    await waitFor(() => serial >= after + 4, 'edits after the return');
    clearInterval(writing);

    // Everything written that reached B is once in its copy and in the log.
    const tokens = (text: string) => text.match(/[^;]+;/g) ?? [];
    const before = tokens(relayed);
    expect(before.length).toBeGreaterThan(0);
    const afterReturn = written.filter((t) => Number(/\.(\d+);$/.exec(t)![1]) >= after);
    await waitFor(
      () =>
        afterReturn.every((t) => watcher.text.toString().includes(t)) &&
        real.text.toString() === watcher.text.toString(),
      'the edits after the return everywhere',
    );
    const final = watcher.text.toString();
    const stored = (await storedDoc(helper.app.db, docName)).getText('t').toString();
    expect(stored).toBe(final);
    const count = (text: string, token: string) => text.split(token).length - 1;
    for (const token of before) expect(count(final, token), token).toBe(1);
    for (const token of tokens(final)) expect(count(final, token), token).toBe(1);
    expect(tokens(final).every((t) => written.includes(t))).toBe(true);

    // Ballots: never a 5xx for good, every one answered, and those answered 2xx counted once.
    expect(
      results.every((r) => [201, 409].includes(r.statuses.at(-1)!)),
      'answers',
    ).toBe(true);
    const effective = results.filter((r) => tookEffect(r, 'already_voted')).length;
    const rows = await helper.app.db
      .selectFrom('ballots')
      .select('userId')
      .where('voteId', '=', vote.id)
      .execute();
    expect(new Set(rows.map((r) => r.userId)).size).toBe(rows.length);
    expect(rows).toHaveLength(effective);
    expect(effective).toBe(PHONES); // each was retried until answered
    await waitFor(() => roomVote()?.counted === PHONES, 'the room on B counts every ballot');
    const closed = ok<VoteResult>(await w.chair.post(`/api/votes/${vote.id}/close`, {}));
    expect(closed.counted).toBe(PHONES);

    const retried = results.filter((r) => r.statuses.length > 1).length;
    const lostAnswers = results.filter((r) => r.statuses.length > 1 && r.statuses.at(-1) === 409);
    console.log(
      `kill -9 in a ${PHONES}-phone meeting: joined in ${joined} ms; ${cut} phones cut, all back ` +
        `in ${back} ms (${timeline}); ${before.length} updates relayed before the kill, ${tokens(final).length} ` +
        `in the end; ${retried} ballots retried, ${lostAnswers.length} of them already counted`,
    );
    expect(cut).toBeGreaterThanOrEqual(PHONES * 0.4);
  });
});
