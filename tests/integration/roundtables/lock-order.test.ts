import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VoteResult } from '@tongxin/shared/roundtables/floor.schemas';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { onRealPostgres } from '../../support/database.ts';
import { residents } from '../../support/people.ts';
import { meetingWorld, ok } from '../../support/meeting-world.ts';

// A ballot holds the vote row and inserts attendance, whose foreign key share-locks the
// roundtable; the close holds the roundtable and then wants the vote. Taken in two orders,
// the two deadlocked (a 500) on real Postgres; one global order (docs/decisions/0007) means
// no interleaving can. On PGlite everything runs one by one and must give the same answers.
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
}, 180_000);
afterAll(() => t.close());

const ROUNDS = 5;
const WAVES = 6;
const PER_WAVE = 10;

describe(`roundtable lock order (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('ballots spread over the close: never a 5xx, and the tally is exactly the 2xx ballots', async () => {
    const w = await meetingWorld(t.app, 1);
    for (let round = 0; round < ROUNDS; round++) {
      const voters = await residents(t.app, w.community, WAVES * PER_WAVE, `轮${round}投票人`);
      const { id } = ok<{ id: string }>(
        await w.chair.post(`/api/topics/${w.topicId}/votes`, {
          question: `第${round + 1}次表决`,
          kind: 'yes_no',
        }),
        201,
      );
      const statuses: Promise<number>[] = [];
      let close: Promise<{ statusCode: number; body: string; json: () => unknown }> | null = null;
      for (let wave = 0; wave < WAVES; wave++) {
        const sent = voters
          .slice(wave * PER_WAVE, (wave + 1) * PER_WAVE)
          .map((v, i) =>
            v.client
              .post(`/api/votes/${id}/ballots`, { choice: i % 3 ? 'support' : 'oppose' })
              .then((res) => res.statusCode),
          );
        statuses.push(...sent);
        // The close leaves with the second wave: ballots are in flight before, with and after it.
        if (wave === 1) close = w.chair.post(`/api/votes/${id}/close`, {});
        // The next wave goes out once one of this wave is answered (events, not sleeps).
        await Promise.race(sent);
      }
      const answers = await Promise.all(statuses);
      const closed = await close!;
      expect(closed.statusCode, closed.body).toBe(200);
      const result = closed.json() as VoteResult;
      expect(answers.filter((s) => s !== 201 && s !== 409)).toEqual([]);
      const accepted = answers.filter((s) => s === 201).length;
      expect(result.counted).toBe(accepted);
      const rows = await t.app.db
        .selectFrom('ballots')
        .select('userId')
        .where('voteId', '=', id)
        .execute();
      expect(rows).toHaveLength(accepted);
    }
  }, 180_000);
});
