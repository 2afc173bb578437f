import { roomDoc } from '@tongxin/shared/live/documents';
import type { RoomState, VoteResult } from '@tongxin/shared/roundtables/floor.schemas';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterTestsEnabled, meetingCluster, type MeetingCluster } from '../../support/cluster.ts';
import { postUntilAnswered, tookEffect, type Answered } from '../../support/meeting-load.ts';
import { waitFor } from '../../support/realtime.ts';
import { storedDoc } from '../../support/redis-server.ts';
import { ok } from '../../support/meeting-world.ts';

// A deploy during a meeting: three instances (child processes on one PostgreSQL and one
// Redis) behind a balancer, restarted one at a time (SIGTERM, drained, started again on its
// port) while phones edit the meeting's document, cast ballots and propose solutions. At
// the end every edit is there once, every ballot and proposal answered 2xx is counted once,
// and nothing was answered 5xx.

const VOTERS = 60;
const THIN = 30;

describe.skipIf(!clusterTestsEnabled)('rolling restart during a meeting', () => {
  let meeting: MeetingCluster | undefined;
  afterAll(() => meeting?.close());

  it('restarting every instance, one at a time, loses and doubles nothing', async () => {
    meeting = await meetingCluster({
      instances: 3,
      voters: VOTERS,
      name: '与会',
      question: '先修车棚？',
    });
    const {
      helper,
      world: w,
      voters,
      vote,
      instances,
      startInstance,
      connect,
      thinPhone,
    } = meeting;
    const { origin } = meeting.balancer;
    const docName = 'test:rolling';

    // Four real y-websocket phones writing, a room watcher, thirty thin phones present.
    const editors = voters.slice(0, 4).map((v) => connect(docName, v.client.cookie!));
    const room = connect(roomDoc(w.id), w.chair.cookie!);
    const phones = voters
      .slice(0, THIN)
      .map((voter, i) =>
        thinPhone({ docName, cookie: voter.client.cookie!, presence: { phone: i } }),
      );
    const allBack = () =>
      editors.every((e) => e.provider.wsconnected && e.provider.synced) &&
      room.provider.synced &&
      phones.every((p) => p.synced);
    await waitFor(allBack, 'everyone in the meeting');

    // The load, paced (not a wait for anything): each editor writes a token every 100 ms
    // (offline too: y-websocket sends it on reconnecting), a ballot every 500 ms, a
    // proposal every 250 ms, each command retried until answered.
    const written: string[] = [];
    let serial = 0;
    const writing = setInterval(() => {
      for (const [i, e] of editors.entries()) {
        const token = `e${i}.${serial};`;
        e.text.insert(e.text.length, token);
        written.push(token);
      }
      serial++;
    }, 100);
    let loading = true;
    const ballots: Promise<Answered>[] = [];
    const proposals = new Map<string, Promise<Answered>>();
    const commands = (async () => {
      let next = 0;
      let n = 0;
      while (loading) {
        if (n % 2 === 0 && next < VOTERS) {
          const voter = voters[next];
          ballots.push(
            postUntilAnswered(origin, `/votes/${vote.id}/ballots`, voter!.client.cookie!, {
              choice: next++ % 2 ? 'support' : 'oppose',
            }),
          );
        }
        const text = `方案 ${n}`;
        proposals.set(
          text,
          postUntilAnswered(
            origin,
            `/topics/${w.topicId}/proposals`,
            voters[n % VOTERS]!.client.cookie!,
            {
              text,
            },
          ),
        );
        n++;
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    // One instance after another: SIGTERM (its sockets close with 1012, the others take its
    // phones), then the same port again.
    const restarts: string[] = [];
    for (let i = 0; i < instances.length; i++) {
      const old = instances[i]!;
      const closesBefore = phones.map((p) => p.closes.length);
      const started = Date.now();
      const exit = await Promise.race([
        old.terminate(),
        new Promise<string>((r) => setTimeout(() => r('still running 30 s after SIGTERM'), 30_000)),
      ]);
      if (exit !== 0) console.log(`instance ${i} after SIGTERM:\n${old.output()}`);
      expect(exit, `instance ${i} drains and exits`).toBe(0);
      const drained = Date.now() - started;
      await waitFor(allBack, `everyone back after instance ${i} stopped`, 20_000);
      const back = Date.now() - started;
      const moved = phones.filter((p, j) => p.closes.length > closesBefore[j]!);
      expect(
        moved.every((p) => p.closes.slice(closesBefore[phones.indexOf(p)]).includes(1012)),
      ).toBe(true);
      instances[i] = await startInstance({ LIVE_PORT: String(old.port) });
      await waitFor(
        async () => (await fetch(`${instances[i]!.origin}/api/ready`)).status === 200,
        `instance ${i} ready again`,
      );
      restarts.push(
        `#${i}: drained ${drained} ms, ${moved.length} thin phones moved, all back ${back} ms`,
      );
      // Some of the meeting happens with it back before the next goes.
      const mark = serial;
      await waitFor(() => serial >= mark + 5, 'the meeting goes on');
    }
    loading = false;
    await commands;
    clearInterval(writing);
    const ballotAnswers = await Promise.all(ballots);
    const proposalAnswers = new Map(
      await Promise.all([...proposals].map(async ([text, p]) => [text, await p] as const)),
    );

    // Edits: everywhere, once, and in the log.
    const tokens = (text: string) => text.match(/[^;]+;/g) ?? [];
    await waitFor(
      () =>
        editors.every(
          (e) =>
            e.text.toString() === editors[0]!.text.toString() &&
            written.every((t) => e.text.toString().includes(t)),
        ),
      'every editor has every edit',
    );
    const final = editors[0]!.text.toString();
    expect(tokens(final).sort()).toEqual([...written].sort());
    expect((await storedDoc(helper.app.db, docName)).getText('t').toString()).toBe(final);

    // Ballots: never a 5xx, and exactly those that took effect are counted.
    const finals = (answers: Iterable<Answered>) => [...answers].map((a) => a.statuses.at(-1)!);
    expect(finals(ballotAnswers).filter((s) => s !== 201 && s !== 409)).toEqual([]);
    const rows = await helper.app.db
      .selectFrom('ballots')
      .select('userId')
      .where('voteId', '=', vote.id)
      .execute();
    expect(rows).toHaveLength(ballotAnswers.filter((a) => tookEffect(a, 'already_voted')).length);
    expect(new Set(rows.map((r) => r.userId)).size).toBe(rows.length);
    await waitFor(
      () => (room.doc.getMap('room').get('vote') as RoomState['vote'])?.counted === rows.length,
      'the room counts every ballot',
    );
    const closed = ok<VoteResult>(await w.chair.post(`/api/votes/${vote.id}/close`, {}));
    expect(closed.counted).toBe(rows.length);

    // Proposals: each answered 201 is there once; one whose answer was lost at most once per
    // attempt (a proposal carries no key to tell a repeat).
    expect(finals(proposalAnswers.values()).filter((s) => s !== 201)).toEqual([]);
    const stored = await helper.app.db
      .selectFrom('proposals')
      .select('text')
      .where('topicId', '=', w.topicId)
      .execute();
    const times = new Map<string, number>();
    for (const { text } of stored) times.set(text, (times.get(text) ?? 0) + 1);
    let lost = 0;
    let doubled = 0;
    for (const [text, answered] of proposalAnswers) {
      const failed = answered.statuses.filter((s) => s === 0).length;
      lost += failed;
      if ((times.get(text) ?? 0) > 1) doubled++;
      expect(times.get(text) ?? 0, text).toBeGreaterThanOrEqual(1);
      expect(times.get(text) ?? 0, text).toBeLessThanOrEqual(1 + failed);
    }
    const retried = [...ballotAnswers, ...proposalAnswers.values()].filter(
      (a) => a.statuses.length > 1,
    ).length;
    console.log(
      `rolling restart: ${restarts.join('; ')}; ${written.length} edits, ${rows.length} ballots, ` +
        `${proposalAnswers.size} proposals, ${retried} commands retried (${lost} after a lost answer; ` +
        `${doubled} proposals stored twice because of it)`,
    );
  });
});
