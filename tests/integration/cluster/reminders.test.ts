import { inboxDoc } from '@tongxin/shared/live/documents';
import type { Inbox } from '@tongxin/shared/notifications/notifications';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sweepReminders } from '../../../server/src/reminders/sweep.ts';
import {
  clusterTestsEnabled,
  createTestCluster,
  type ClusterInstance,
  type TestCluster,
} from '../../support/cluster.ts';
import { signedIn } from '../../support/people.ts';
import { connect, waitFor } from '../../support/realtime.ts';

// A reminder fires once with three instances: each runs the reminder sweep it registers at
// start (every 300 ms here, claimed in the database), and on top of that all three sweep at
// once by hand, again and again. A problem report due within two hours is reminded to the
// grid worker exactly once, and the phone holding the worker's bell on a third instance
// shows it, once.

describe.skipIf(!clusterTestsEnabled)('reminders with three instances', () => {
  let cluster: TestCluster | undefined;
  const opened: Array<{ provider: { destroy(): void } }> = [];
  afterEach(() => {
    for (const c of opened.splice(0)) c.provider.destroy();
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('a problem report due soon is reminded to its grid worker once', async () => {
    cluster = await createTestCluster();
    const periodMs = 300;
    const instances: ClusterInstance[] = [
      await cluster.start({ demo: true, reminderSweepMs: periodMs }),
      await cluster.start({ reminderSweepMs: periodMs }),
      await cluster.start({ reminderSweepMs: periodMs }),
    ];
    const [a, , c] = instances as [ClusterInstance, ClusterInstance, ClusterInstance];
    const db = a.app.db;
    const idOf = async (username: string) =>
      (
        await db
          .selectFrom('users')
          .select('id')
          .where('username', '=', username)
          .executeTakeFirstOrThrow()
      ).id;
    const [riderId, workerId] = await Promise.all([idOf('rider'), idOf('gridworker')]);
    const community = (
      await db
        .selectFrom('places')
        .select('id')
        .where('name', '=', '幸福社区')
        .executeTakeFirstOrThrow()
    ).id;
    const building = (
      await db
        .selectFrom('places as b')
        .innerJoin('places as p', 'p.id', 'b.parentId')
        .select('b.id')
        .where('b.name', '=', '1号楼')
        .where('p.name', '=', '阳光花园')
        .executeTakeFirstOrThrow()
    ).id;

    // The worker's bell, on the third instance.
    const worker = await signedIn(c.app, workerId);
    const bell = connect(c.wsUrl, inboxDoc(workerId), { cookie: worker.cookie!, origin: c.origin });
    opened.push(bell);
    const description = '三实例：消防通道被占用';
    const onBell = () =>
      ((bell.doc.getMap('inbox').get('data') as Inbox | undefined)?.items ?? []).filter(
        (n) => n.kind === 'reminder_due_soon' && n.params['title']?.includes('消防通道'),
      );
    await waitFor(() => bell.provider.synced, 'the bell');

    // Reported on A; answered within two hours, so due soon at once.
    const rider = await signedIn(a.app, riderId);
    const res = await rider.post('/api/problems', {
      communityId: community,
      category: 'safety_hazard',
      description,
      placeId: building,
    });
    expect(res.statusCode, res.body).toBe(201);
    const sent = async () =>
      (
        await db
          .selectFrom('notifications')
          .select(['params'])
          .where('userId', '=', workerId)
          .where('kind', '=', 'reminder_due_soon')
          .execute()
      ).filter((n) => (n.params as Record<string, string>)['title']?.includes('消防通道'));

    // Three hand sweeps racing the registered ones, three times over.
    for (let i = 0; i < 3; i++) await Promise.all(instances.map((x) => sweepReminders(x.app)));
    await waitFor(async () => (await sent()).length > 0, 'the reminder sent');
    await waitFor(() => onBell().length > 0, 'the reminder on the bell on C');

    // Several more periods of the registered sweeps (each claimed run moves `ran_at` on).
    const ranAt = async () =>
      String(
        (
          await db
            .selectFrom('jobRuns')
            .select('ranAt')
            .where('name', '=', 'reminders')
            .executeTakeFirst()
        )?.ranAt,
      );
    for (let i = 0; i < 4; i++) {
      const before = await ranAt();
      await waitFor(async () => (await ranAt()) !== before, 'another reminder sweep');
    }
    for (let i = 0; i < 2; i++) await Promise.all(instances.map((x) => sweepReminders(x.app)));

    expect(await sent()).toHaveLength(1);
    // The bell is a projection of the stored notifications: one there too.
    expect(onBell()).toHaveLength(1);
  });
});
