import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VoteResult } from '@tongxin/shared/roundtables/floor.schemas';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { onRealPostgres } from '../../support/database.ts';
import { residents } from '../../support/people.ts';
import { meetingWorld, ok } from '../../support/meeting-world.ts';

// Races show on the real Postgres (a pool of connections); on PGlite they run one by one
// and must give the same answers.
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
}, 60_000);
afterAll(() => t.close());

describe(`roundtable races (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('two parallel "advance stage" calls move the stage once', async () => {
    const w = await meetingWorld(t.app, 1);
    ok(await w.chair.post(`/api/topics/${w.topicId}/defer`, {}));
    const answers = await Promise.all(
      [1, 2].map(() => w.chair.post(`/api/roundtables/${w.id}/advance`, { from: 'discuss' })),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const audit = await t.app.db
      .selectFrom('auditLog')
      .select('id')
      .where('targetId', '=', w.id)
      .where('action', '=', 'roundtable.advance')
      .execute();
    expect(audit).toHaveLength(2); // raise → discuss, then discuss → act once
  });

  it('one person sending 50 votes at once leaves one vote', async () => {
    const w = await meetingWorld(t.app, 1);
    const { id } = ok<{ id: string }>(
      await w.chair.post(`/api/topics/${w.topicId}/votes`, { question: '同意吗', kind: 'yes_no' }),
      201,
    );
    const voter = w.people[0]!.client;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        voter.post(`/api/votes/${id}/ballots`, { choice: i % 2 ? 'support' : 'oppose' }),
      ),
    );
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.statusCode === 409)).toHaveLength(49);
    const rows = await t.app.db
      .selectFrom('ballots')
      .selectAll()
      .where('voteId', '=', id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('closing a vote while 300 votes are in flight counts exactly the votes answered 2xx', async () => {
    const w = await meetingWorld(t.app, 1);
    const voters = await residents(t.app, w.community, 300, '投票人');
    const accepted = await closeDuringBallots(w, voters);
    // The second half went out once the close was answered: every one of them refused.
    expect(accepted).toBeLessThanOrEqual(150);
  }, 120_000);
});

/**
 * One vote: half the ballots go out; once some are through the close goes, racing the rest
 * of them; the other half go out after the close has answered. (Sent together with the close,
 * the other half used to land on both sides of it; with ballots now a few statements each,
 * they all queued for the pool ahead of the close's later statements and all got in.)
 */
async function closeDuringBallots(
  w: Awaited<ReturnType<typeof meetingWorld>>,
  voters: Awaited<ReturnType<typeof residents>>,
): Promise<number> {
  const { id } = ok<{ id: string }>(
    await w.chair.post(`/api/topics/${w.topicId}/votes`, { question: '同意吗', kind: 'yes_no' }),
    201,
  );
  let answered = 0;
  const cast = (v: (typeof voters)[number], i: number) =>
    v.client
      .post(`/api/votes/${id}/ballots`, { choice: i % 3 === 0 ? 'oppose' : 'support' })
      .then((res) => {
        answered++;
        return res.statusCode;
      });
  const first = voters.slice(0, 150).map(cast);
  while (answered < 40) await new Promise((r) => setTimeout(r, 2));
  const result = ok<VoteResult>(await w.chair.post(`/api/votes/${id}/close`, {}));
  const second = voters.slice(150).map((v, i) => cast(v, i + 150));
  const statuses = await Promise.all([...first, ...second]);
  expect(statuses.slice(150).every((s) => s === 409)).toBe(true);
  const accepted = statuses.filter((s) => s === 201).length;
  expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
  expect(accepted).toBeGreaterThanOrEqual(40);
  expect(result.counted).toBe(accepted);
  const rows = await t.app.db
    .selectFrom('ballots')
    .select('choice')
    .where('voteId', '=', id)
    .execute();
  expect(rows).toHaveLength(accepted);
  const support = rows.filter((r) => r.choice === 'support').length;
  expect(result.tally).toEqual({ support, oppose: accepted - support, abstain: 0 });
  const stored = await t.app.db
    .selectFrom('votes')
    .select('counted')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  expect(stored.counted).toBe(accepted);
  return accepted;
}
