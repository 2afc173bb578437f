import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimView } from '@tongxin/shared/double-report/claims.schemas';
import { chinaDay, fromChinaLocal } from '@tongxin/shared/time/china';
import { buildApp, type App } from '@tongxin/server';
import { sweepReminders } from '@tongxin/server/reminders/sweep';
import { TEST_ORIGIN } from '../../support/app.ts';
import {
  createMigratedTestDatabase,
  onRealPostgres,
  type TestDatabase,
} from '../../support/database.ts';
import type { TestClient } from '../../support/http.ts';
import { signedIn } from '../../support/people.ts';
import { userIdOf } from '../../support/demo-ids.ts';

/**
 * Deadlines and reminders: due soon to the owner, overdue to the owner and the secretary,
 * each once whatever the number of sweeps — in one process, and (on Postgres) from two app
 * instances on the same database.
 */
let database: TestDatabase;
let app: App;
/** A second instance on the same database: only on a real Postgres (PGlite is one process). */
let other: App | null = null;
let now = Date.now();
const HOUR = 3600_000;
const DAY = 24 * HOUR;

let leaderId: string;
let memberId: string;
let secretaryId: string;
let workerId: string;
let community: string;

/** Every instance sweeps at once, twice each. */
const sweepEverywhere = () =>
  Promise.all(
    [app, app, ...(other ? [other, other] : [])].map((instance) => sweepReminders(instance)),
  );

const idOf = (username: string) => userIdOf(app.db, username);

/** The reminders of this kind a person got about this title (and, if given, as whom). */
async function reminders(userId: string, kind: string, title: string, as?: string) {
  const rows = await app.db
    .selectFrom('notifications')
    .select(['params', 'link'])
    .where('userId', '=', userId)
    .where('kind', '=', kind)
    .execute();
  return (rows as Array<{ params: Record<string, string>; link: string | null }>).filter(
    (r) =>
      (r.params as Record<string, string>).title === title &&
      (as === undefined || (r.params as Record<string, string>).as === as),
  );
}

beforeAll(async () => {
  database = await createMigratedTestDatabase();
  const options = { database: database.config, webDir: null, now: () => new Date(now) };
  app = await buildApp({ ...options, demo: true });
  if (onRealPostgres()) other = await buildApp({ ...options, demo: false });
  [leaderId, memberId, secretaryId, workerId] = await Promise.all([
    idOf('leader'),
    idOf('member'),
    idOf('secretary'),
    idOf('gridworker'),
  ]);
  community = (
    await app.db
      .selectFrom('places')
      .select('id')
      .where('name', '=', '幸福社区')
      .executeTakeFirstOrThrow()
  ).id;
}, 120_000);
afterAll(async () => {
  await other?.close();
  await app.close();
  await database.drop();
});

describe('reminders', () => {
  it('an action item: due soon to its owner, then overdue to the owner and the secretary, each once', async () => {
    const title = '跟进路灯维修进度并向居民通报';
    // A deadline ten days on (China time); the item is due by the end of that day.
    const deadline = chinaDay(new Date(now + 10 * DAY));
    await app.db.updateTable('actionItems').set({ deadline }).where('title', '=', title).execute();
    const due = fromChinaLocal(deadline).getTime() + DAY;

    await sweepEverywhere();
    expect(await reminders(leaderId, 'reminder_due_soon', title)).toHaveLength(0);

    now = due - 12 * HOUR;
    await sweepEverywhere();
    await sweepEverywhere();
    const soon = await reminders(leaderId, 'reminder_due_soon', title);
    expect(soon).toHaveLength(1);
    expect(soon[0]!.params).toMatchObject({ subject: 'action_item', as: 'owner' });
    expect(soon[0]!.link).toMatch(/^\/roundtables\//);
    expect(await reminders(secretaryId, 'reminder_overdue', title)).toHaveLength(0);

    now = due + HOUR;
    await sweepEverywhere();
    await sweepEverywhere();
    expect(await reminders(leaderId, 'reminder_overdue', title, 'owner')).toHaveLength(1);
    expect(await reminders(secretaryId, 'reminder_overdue', title, 'secretary')).toHaveLength(1);
    expect(await reminders(leaderId, 'reminder_due_soon', title)).toHaveLength(1);

    // Exactly one key per reminder, whatever the number of sweeps.
    const item = await app.db
      .selectFrom('actionItems')
      .select('id')
      .where('title', '=', title)
      .executeTakeFirstOrThrow();
    const keys = await app.db
      .selectFrom('remindersSent')
      .select(['reminderKind', 'dueKey'])
      .where('subjectId', '=', item.id)
      .execute();
    expect(keys.map((k) => k.reminderKind).sort()).toEqual(['due_soon', 'overdue']);
  });

  it('a new deadline is reminded afresh', async () => {
    const title = '跟进路灯维修进度并向居民通报';
    const deadline = chinaDay(new Date(now + 5 * DAY));
    await app.db.updateTable('actionItems').set({ deadline }).where('title', '=', title).execute();
    now = fromChinaLocal(deadline).getTime() + DAY + HOUR;
    await sweepEverywhere();
    expect(await reminders(leaderId, 'reminder_overdue', title, 'owner')).toHaveLength(2);
  });

  it('a problem report: due soon and overdue to whoever answers it', async () => {
    const rider = await signedIn(app, await idOf('rider'));
    const building = (
      await app.db
        .selectFrom('places as b')
        .innerJoin('places as c', 'c.id', 'b.parentId')
        .select('b.id')
        .where('b.name', '=', '1号楼')
        .where('c.name', '=', '阳光花园')
        .executeTakeFirstOrThrow()
    ).id;
    const description = '路灯杆倾斜，随时可能倒下';
    const res = await rider.post('/api/problems', {
      communityId: community,
      category: 'safety_hazard',
      description,
      placeId: building,
    });
    expect(res.statusCode, res.body).toBe(201);
    // Answered within 2 hours: due soon at once.
    await sweepEverywhere();
    expect(await reminders(workerId, 'reminder_due_soon', description)).toHaveLength(1);
    now += 3 * HOUR;
    await sweepEverywhere();
    expect(await reminders(workerId, 'reminder_overdue', description)).toHaveLength(1);
    // Its secretary hears of it through its escalation (督办), not a second notice.
    expect(await reminders(secretaryId, 'reminder_overdue', description)).toHaveLength(0);
  });

  describe('claims', () => {
    let member: TestClient;
    let secretary: TestClient;
    let claim: { id: string; itemId: string; title: string };
    let overdueBefore = 0;

    beforeAll(async () => {
      member = await signedIn(app, memberId);
      secretary = await signedIn(app, secretaryId);
      claim = await app.db
        .selectFrom('claims as c')
        .innerJoin('claimItems as i', 'i.id', 'c.itemId')
        .select(['c.id', 'c.itemId', 'i.title'])
        .where('c.userId', '=', memberId)
        .where('c.status', '=', 'in_progress')
        .executeTakeFirstOrThrow();
    });

    it('a claim in progress past its due date: the claimant and the secretary, once', async () => {
      const dueAt = new Date(now + 6 * HOUR);
      await app.db
        .updateTable('claimItems')
        .set({ dueAt })
        .where('id', '=', claim.itemId)
        .execute();
      await sweepEverywhere();
      // The demo's own due date, passed as time moved on above, was reminded of already.
      const soon = await reminders(memberId, 'reminder_due_soon', claim.title);
      expect(soon.filter((r) => r.params.due === dueAt.toISOString())).toHaveLength(1);
      now += 7 * HOUR;
      await sweepEverywhere();
      await sweepEverywhere();
      const overdue = (await reminders(memberId, 'reminder_overdue', claim.title, 'owner')).filter(
        (r) => r.params.due === dueAt.toISOString(),
      );
      expect(overdue).toHaveLength(1);
      const toSecretary = await reminders(
        secretaryId,
        'reminder_overdue',
        claim.title,
        'secretary',
      );
      expect(toSecretary.filter((r) => r.params.due === dueAt.toISOString())).toHaveLength(1);
      overdueBefore = (await reminders(memberId, 'reminder_overdue', claim.title)).length;
    });

    it('a delivery carries photos, shown where the secretary confirms it', async () => {
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
        'base64',
      );
      const uploaded = await app.inject({
        method: 'POST',
        url: '/api/photos',
        headers: { origin: TEST_ORIGIN, 'content-type': 'image/png', cookie: member.cookie! },
        payload: png,
      });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
      const photoId = uploaded.json<{ id: string }>().id;

      const delivered = await member.post(`/api/claims/${claim.id}/deliver`, {
        note: '手机已修好，送到老人家里',
        photoIds: [photoId],
      });
      expect(delivered.statusCode, delivered.body).toBe(200);
      expect(delivered.json<ClaimView>().deliveryPhotoIds).toEqual([photoId]);

      const queue = (await secretary.get(`/api/communities/${community}/review-queue`)).json<{
        deliveries: ClaimView[];
      }>();
      const shown = queue.deliveries.find((d) => d.id === claim.id)!;
      expect(shown.deliveryPhotoIds).toEqual([photoId]);
      const photo = await secretary.get(`/api/photos/${photoId}`);
      expect(photo.statusCode).toBe(200);

      // Someone else's photo, or one already used, is refused and nothing is delivered.
      const again = await member.post(`/api/claims/${claim.id}/deliver`, {
        note: '再送一次',
        photoIds: [photoId],
      });
      expect(again.statusCode).toBe(409);

      // Delivered: no more reminders for it.
      now += 2 * DAY;
      await sweepEverywhere();
      expect(await reminders(memberId, 'reminder_overdue', claim.title)).toHaveLength(
        overdueBefore,
      );
    });
  });
});
