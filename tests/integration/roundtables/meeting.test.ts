import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inbox } from '@tongxin/shared/notifications/notifications';
import type { MyRoomView, VoteResult } from '@tongxin/shared/roundtables/floor.schemas';
import type { ResultView } from '@tongxin/shared/roundtables/result.schemas';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { onRealPostgres } from '../../support/database.ts';
import { TestClient } from '../../support/http.ts';
import { meetingWorld, ok, type MeetingWorld } from '../../support/meeting-world.ts';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
}, 60_000);
afterAll(() => t.close());

const inboxKinds = async (c: TestClient) =>
  ok<Inbox>(await c.get('/api/me/notifications')).items.map((n) => n.kind);

describe(`a roundtable from raise to closed (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('runs every stage through the API, and publishes the result', async () => {
    const w: MeetingWorld = await meetingWorld(t.app, 3);
    const [raiser, neighbour, helper] = w.people;
    const rt = `/api/roundtables/${w.id}`;
    expect(await inboxKinds(raiser!.client)).toEqual(
      expect.arrayContaining(['topic_screened', 'roundtable_live']),
    );

    // 议事: present, the floor, proposals.
    ok(await raiser!.client.post(`${rt}/attend`, {}));
    const me = ok<MyRoomView>(await w.chair.get(`${rt}/me`));
    expect(me.checkinCode).toMatch(/^[0-9a-f]{32}$/);
    expect(ok<MyRoomView>(await raiser!.client.get(`${rt}/me`)).checkinCode).toBeNull();
    const wrong = await neighbour!.client.post(`${rt}/attend`, { code: 'nottheroomcode' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'wrong_checkin_code', field: 'code' });
    ok(await neighbour!.client.post(`${rt}/attend`, { code: me.checkinCode }));
    ok(await w.chair.post(`${rt}/current-topic`, { topicId: w.topicId }));
    ok(await raiser!.client.post(`${rt}/hand`, { raised: true }));
    ok(await raiser!.client.post(`${rt}/hand`, { raised: true }));
    expect(ok<MyRoomView>(await raiser!.client.get(`${rt}/me`)).handRaised).toBe(true);
    ok(await w.chair.post(`${rt}/floor`, { userId: raiser!.userId }));
    ok(await w.chair.post(`${rt}/settings`, { timerSeconds: 120 }));
    ok(
      await raiser!.client.post(`/api/topics/${w.topicId}/proposals`, {
        text: '错时共享机关单位车位',
      }),
      201,
    );
    ok(
      await neighbour!.client.post(`/api/topics/${w.topicId}/proposals`, {
        text: '画线增加临时车位',
      }),
      201,
    );
    ok(await w.chair.post(`${rt}/floor`, { userId: null }));

    // A yes/no vote with the tally hidden until close; two residents without phones by hand.
    const { id: voteId } = ok<{ id: string }>(
      await w.chair.post(`/api/topics/${w.topicId}/votes`, {
        question: '同意错时共享车位吗？',
        kind: 'yes_no',
        hiddenTally: true,
      }),
      201,
    );
    ok(await raiser!.client.post(`/api/votes/${voteId}/ballots`, { choice: 'support' }), 201);
    const again = await raiser!.client.post(`/api/votes/${voteId}/ballots`, { choice: 'oppose' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_voted');
    const proposalOnYesNo = await raiser!.client.post(`/api/votes/${voteId}/ballots`, {
      proposalId: w.topicId,
    });
    expect(proposalOnYesNo.statusCode).toBe(400);
    expect(proposalOnYesNo.json().error).toMatchObject({
      code: 'ballot_needs_choice',
      field: 'choice',
    });
    ok(await neighbour!.client.post(`/api/votes/${voteId}/ballots`, { choice: 'oppose' }), 201);
    expect((await raiser!.client.get(`/api/votes/${voteId}`)).statusCode).toBe(403);
    ok(await w.chair.post(`${rt}/present`, { name: '王奶奶' }), 201);
    ok(await w.chair.post(`${rt}/present`, { name: '赵爷爷' }), 201);
    const tooMany = await w.chair.post(`/api/votes/${voteId}/hands`, { counts: { support: 3 } });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().error).toMatchObject({
      code: 'too_many_hands',
      params: { hands: 3, present: 2 },
      field: 'counts',
    });
    ok(await w.chair.post(`/api/votes/${voteId}/hands`, { counts: { support: 1, abstain: 1 } }));
    expect((await w.chair.post(`${rt}/current-topic`, { topicId: null })).json().error.code).toBe(
      'vote_still_open',
    );
    const closed = ok<VoteResult>(await w.chair.post(`/api/votes/${voteId}/close`, {}));
    expect(closed).toMatchObject({
      counted: 4,
      ballots: 2,
      hands: 2,
      tally: { support: 2, oppose: 1, abstain: 1 },
    });
    expect(
      (await helper!.client.post(`/api/votes/${voteId}/ballots`, { choice: 'support' })).json()
        .error.code,
    ).toBe('vote_closed');
    expect(ok<VoteResult>(await raiser!.client.get(`/api/votes/${voteId}`)).counted).toBe(4);

    // A proposal worded like a choice stays that proposal: the tally is keyed by its id.
    const { id: worded } = ok<{ id: string }>(
      await neighbour!.client.post(`/api/topics/${w.topicId}/proposals`, { text: '赞成' }),
      201,
    );
    const { id: choiceVote } = ok<{ id: string }>(
      await w.chair.post(`/api/topics/${w.topicId}/votes`, {
        question: '选哪个方案？',
        kind: 'choice',
      }),
      201,
    );
    ok(await raiser!.client.post(`/api/votes/${choiceVote}/ballots`, { proposalId: worded }), 201);
    const chosen = ok<VoteResult>(await w.chair.post(`/api/votes/${choiceVote}/close`, {}));
    expect(chosen.tally[worded]).toBe(1);
    expect(chosen.tally).not.toHaveProperty('support');

    // Cannot move on before the topic is resolved; then 办事.
    const early = await w.chair.post(`${rt}/advance`, { from: 'discuss' });
    expect(early.statusCode).toBe(409);
    ok(
      await w.chair.post(`/api/topics/${w.topicId}/resolution`, {
        text: '与两家机关单位签订错时共享协议。',
        voteId,
      }),
      201,
    );
    expect(
      (await w.chair.post(`/api/topics/${w.topicId}/resolution`, { text: '再来一次' })).statusCode,
    ).toBe(409);
    ok(await w.chair.post(`${rt}/advance`, { from: 'discuss' }));
    const { id: itemId } = ok<{ id: string }>(
      await w.chair.post(`/api/topics/${w.topicId}/action-items`, {
        title: '联系机关单位签协议',
        ownerKind: 'person',
        ownerId: helper!.userId,
        deadline: '2026-12-31',
      }),
      201,
    );
    expect(await inboxKinds(helper!.client)).toContain('action_item_assigned');
    const notMine = await raiser!.client.post(`/api/action-items/${itemId}/updates`, {
      note: '我来',
      status: 'in_progress',
    });
    expect(notMine.statusCode).toBe(403);
    expect(notMine.json().error.code).toBe('not_owner');
    const noReason = await helper!.client.post(`/api/action-items/${itemId}/updates`, {
      note: '卡住了',
      status: 'blocked',
    });
    expect(noReason.json().error).toMatchObject({
      code: 'blocked_reason_missing',
      field: 'blockedReason',
    });
    ok(
      await helper!.client.post(`/api/action-items/${itemId}/updates`, {
        note: '已约见单位',
        status: 'in_progress',
      }),
      201,
    );
    const backwards = await helper!.client.post(`/api/action-items/${itemId}/updates`, {
      note: '回到待办',
      status: 'pending',
    });
    expect(backwards.statusCode).toBe(409);
    expect(backwards.json().error).toMatchObject({
      code: 'item_move_not_allowed',
      field: 'status',
    });
    const notDone = await raiser!.client.post(`/api/action-items/${itemId}/ratings`, {
      rating: 'satisfied',
    });
    expect(notDone.statusCode).toBe(409);
    expect(notDone.json().error.code).toBe('item_not_done');
    ok(
      await helper!.client.post(`/api/action-items/${itemId}/updates`, {
        note: '协议已签，今晚开放',
        status: 'done',
      }),
      201,
    );
    expect(await inboxKinds(raiser!.client)).toContain('rating_asked');

    // 评事: ratings once each; minutes amended for a period, then frozen.
    ok(await w.chair.post(`${rt}/advance`, { from: 'act' }));
    ok(
      await raiser!.client.post(`/api/action-items/${itemId}/ratings`, {
        rating: 'satisfied',
        comment: '晚上好停车了',
      }),
      201,
    );
    expect(
      (
        await raiser!.client.post(`/api/action-items/${itemId}/ratings`, { rating: 'dissatisfied' })
      ).json().error.code,
    ).toBe('already_rated');
    const unopened = await w.chair.post(`${rt}/minutes/approve`, {});
    expect(unopened.statusCode).toBe(409);
    expect(unopened.json().error.code).toBe('amendment_not_opened');
    ok(await w.chair.post(`${rt}/minutes/amendment`, { hours: 24 }));
    // Two refusals of one verb (approve), two codes: the web tells them apart.
    const running = await w.chair.post(`${rt}/minutes/approve`, {});
    expect(running.statusCode).toBe(409);
    expect(running.json().error).toMatchObject({
      code: 'amendment_running',
      params: { until: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/) },
    });
    expect(running.json().error.message).toContain('修订期');
    // The attendees have checked the minutes: the chair ends the period early, once.
    expect((await raiser!.client.post(`${rt}/minutes/amendment/end`, {})).statusCode).toBe(403);
    ok(await w.chair.post(`${rt}/minutes/amendment/end`, {}));
    const ended = await w.chair.post(`${rt}/minutes/amendment/end`, {});
    expect(ended.statusCode).toBe(409);
    expect(ended.json().error.code).toBe('no_amendment_running');
    expect(ended.json().error.message).toContain('修订期');
    ok(await w.chair.post(`${rt}/minutes/approve`, {}));
    ok(await w.chair.post(`${rt}/advance`, { from: 'review' }));

    // 公示: public, as JSON and Markdown, straight from the rows.
    const anonymous = new TestClient(t.app);
    const result = ok<ResultView>(await anonymous.get(`${rt}/result`));
    expect(result.stage).toBe('closed');
    expect(result.topics[0]).toMatchObject({
      resolution: '与两家机关单位签订错时共享协议。',
      votes: [
        {
          counted: 4,
          options: [
            { key: 'support', label: '赞成' },
            { key: 'oppose', label: '反对' },
            { key: 'abstain', label: '弃权' },
          ],
          tally: { support: 2, oppose: 1, abstain: 1 },
        },
        {
          counted: 1,
          options: [
            { label: '错时共享机关单位车位' },
            { label: '画线增加临时车位' },
            { key: worded, label: '赞成' },
          ],
          tally: { [worded]: 1 },
        },
      ],
      items: [{ title: '联系机关单位签协议', status: 'done', satisfaction: 1 }],
    });
    expect(result.minutes?.final).toBe(true);
    const md = await anonymous.get(`${rt}/result.md`);
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.body).toContain('## 议题与议定事项');
    expect(md.body).toContain('赞成 2，反对 1，弃权 1（共 4 人）');
    expect(md.body).toContain('错时共享机关单位车位 0，画线增加临时车位 0，赞成 1（共 1 人）');
  });

  it('sends an item back to 办事 when 不满意 leads', async () => {
    const w = await meetingWorld(t.app, 4);
    const rt = `/api/roundtables/${w.id}`;
    ok(await w.chair.post(`/api/topics/${w.topicId}/resolution`, { text: '增设临时车位' }), 201);
    ok(await w.chair.post(`${rt}/advance`, { from: 'discuss' }));
    const { id } = ok<{ id: string }>(
      await w.chair.post(`/api/topics/${w.topicId}/action-items`, {
        title: '画线',
        ownerKind: 'person',
        ownerId: w.people[0]!.userId,
        deadline: '2026-12-01',
      }),
      201,
    );
    ok(
      await w.people[0]!.client.post(`/api/action-items/${id}/updates`, {
        note: '画好了',
        status: 'done',
      }),
      201,
    );
    for (const [i, rating] of (['dissatisfied', 'satisfied', 'dissatisfied'] as const).entries())
      ok(await w.people[i + 1]!.client.post(`/api/action-items/${id}/ratings`, { rating }), 201);
    const item = await t.app.db
      .selectFrom('actionItems')
      .select(['status', 'round'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(item).toEqual({ status: 'in_progress', round: 2 });
    expect(await inboxKinds(w.people[0]!.client)).toContain('action_item_reopened');
    // Rated afresh in the next round.
    ok(
      await w.people[0]!.client.post(`/api/action-items/${id}/updates`, {
        note: '重新画线',
        status: 'done',
      }),
      201,
    );
    ok(
      await w.people[1]!.client.post(`/api/action-items/${id}/ratings`, { rating: 'satisfied' }),
      201,
    );
  });
});

describe('who may do what', () => {
  it('refuses chair-only commands to residents with 403, and commands out of stage with 409', async () => {
    const w = await meetingWorld(t.app, 1);
    const r = w.people[0]!.client;
    const rt = `/api/roundtables/${w.id}`;
    const { id: voteId } = ok<{ id: string }>(
      await w.chair.post(`/api/topics/${w.topicId}/votes`, { question: '同意吗', kind: 'yes_no' }),
      201,
    );
    const chairOnly: Array<[string, unknown]> = [
      [`${rt}/advance`, { from: 'discuss' }],
      [`${rt}/settings`, { openMinutes: true }],
      [`${rt}/present`, { name: '某人' }],
      [`${rt}/current-topic`, { topicId: w.topicId }],
      [`${rt}/floor`, { userId: w.people[0]!.userId }],
      [`/api/topics/${w.topicId}/votes`, { question: 'x', kind: 'yes_no' }],
      [`/api/votes/${voteId}/hands`, { counts: { support: 1 } }],
      [`/api/votes/${voteId}/close`, {}],
      [`/api/topics/${w.topicId}/resolution`, { text: '我说了算' }],
      [`/api/topics/${w.topicId}/defer`, {}],
      [
        `/api/topics/${w.topicId}/action-items`,
        {
          title: '某事',
          ownerKind: 'person',
          ownerId: w.people[0]!.userId,
          deadline: '2026-12-01',
        },
      ],
      [`${rt}/minutes/amendment`, { hours: 1 }],
      [`${rt}/minutes/amendment/end`, {}],
      [`${rt}/minutes/approve`, {}],
    ];
    for (const [url, body] of chairOnly) {
      const res = await r.post(url, body);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.message.length, url).toBeGreaterThan(4);
    }
    expect((await r.get(`${rt}/owners`)).statusCode).toBe(403);
    // Out of stage: rating in 议事, approving minutes in 议事.
    expect((await w.chair.post(`${rt}/minutes/approve`, {})).statusCode).toBe(409);
    expect((await w.chair.post(`${rt}/advance`, { from: 'raise' })).json().error.code).toBe(
      'stage_changed',
    );
    // The vote is still open, and nothing a resident sent changed it.
    const vote = await t.app.db
      .selectFrom('votes')
      .select('status')
      .where('id', '=', voteId)
      .executeTakeFirstOrThrow();
    expect(vote.status).toBe('open');
  });

  it('refuses bad input with 400 naming the field', async () => {
    const w = await meetingWorld(t.app, 1);
    const rt = `/api/roundtables/${w.id}`;
    for (const [url, body] of [
      [`${rt}/settings`, { timerSeconds: 5 }],
      [`${rt}/present`, { name: '' }],
      [`/api/topics/${w.topicId}/votes`, { question: 'x', kind: 'ranked' }],
      [
        `/api/topics/${w.topicId}/action-items`,
        { title: '某事', ownerKind: 'person', ownerId: w.people[0]!.userId, deadline: '明天' },
      ],
    ] as const) {
      const res = await w.chair.post(url, body);
      expect(res.statusCode, `${url} ${res.body}`).toBe(400);
    }
    const choice = await w.chair.post(`/api/topics/${w.topicId}/votes`, {
      question: '选哪个',
      kind: 'choice',
    });
    expect(choice.statusCode).toBe(409);
    expect(choice.json().error.field).toBe('kind');
  });

  it('tells refusals of one verb apart by code', async () => {
    const w = await meetingWorld(t.app, 1);
    const rt = `/api/roundtables/${w.id}`;
    const openVote = () =>
      w.chair.post(`/api/topics/${w.topicId}/votes`, { question: '同意吗', kind: 'yes_no' });
    const { id: voteId } = ok<{ id: string }>(await openVote(), 201);
    const twice = await openVote();
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('vote_already_open');
    // Moving on waits for the vote, then for a resolution: two codes for one verb.
    const advance = () => w.chair.post(`${rt}/advance`, { from: 'discuss' });
    expect((await advance()).json().error.code).toBe('vote_still_open');
    ok(await w.chair.post(`/api/votes/${voteId}/close`, {}));
    expect((await advance()).json().error.code).toBe('topics_unresolved');
    ok(await w.chair.post(`/api/topics/${w.topicId}/resolution`, { text: '同意', voteId }), 201);
    const resolvedAgain = await w.chair.post(`/api/topics/${w.topicId}/resolution`, {
      text: '再议',
    });
    expect(resolvedAgain.json().error.code).toBe('already_resolved');
    ok(await advance());
    // 议事 is over: no vote opens in 办事.
    const late = await openVote();
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('not_in_this_stage');
  });
});
