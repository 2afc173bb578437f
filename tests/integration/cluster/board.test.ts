import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clusterTestsEnabled, createTestCluster, type TestCluster } from '../../support/cluster.ts';
import { signedIn } from '../../support/people.ts';
import { connect, waitFor } from '../../support/realtime.ts';

// A real command on instance A changes a server-owned board that a phone on instance B holds:
// 随手拍, the community's live problem list (`problems:<communityId>`), on the demo district.

describe.skipIf(!clusterTestsEnabled)('a board across instances', () => {
  let cluster: TestCluster;
  const opened: Array<{ provider: { destroy(): void } }> = [];

  beforeAll(async () => {
    cluster = await createTestCluster(() => {});
  });
  afterEach(() => {
    for (const c of opened.splice(0)) c.provider.destroy();
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('a problem reported on A appears on the list a phone on B holds, within 1 s', async () => {
    const a = await cluster.start({ demo: true });
    const b = await cluster.start();
    const idOf = async (username: string) =>
      (
        await a.app.db
          .selectFrom('users')
          .select('id')
          .where('username', '=', username)
          .executeTakeFirstOrThrow()
      ).id;
    const placeId = async (name: string, parent?: string) => {
      let query = a.app.db.selectFrom('places').select('id').where('name', '=', name);
      if (parent) query = query.where('parentId', '=', parent);
      return (await query.executeTakeFirstOrThrow()).id;
    };
    const community = await placeId('幸福社区');
    const building = await placeId('1号楼', await placeId('阳光花园'));
    const rider = await signedIn(a.app, await idOf('rider'));
    const resident = await signedIn(b.app, await idOf('resident'));

    const phone = connect(b.wsUrl, `problems:${community}`, {
      cookie: resident.cookie!,
      origin: b.origin,
    });
    opened.push(phone);
    const list = () =>
      (phone.doc.getMap('list').get('data') as Array<{ description: string }> | undefined) ?? [];
    await waitFor(() => phone.provider.synced, 'the list on B');
    const before = list().length;

    const started = Date.now();
    const res = await rider.post('/api/problems', {
      communityId: community,
      category: 'safety_hazard',
      description: '跨实例：3 号楼路灯不亮',
      placeId: building,
    });
    expect(res.statusCode, res.body).toBe(201);
    await waitFor(
      () => list().some((p) => p.description === '跨实例：3 号楼路灯不亮'),
      'the report on B',
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(list().length).toBe(Math.min(before + 1, 50));

    // A holds the list too now: its own rebuild is stored and crosses as an update.
    const onA = connect(a.wsUrl, `problems:${community}`, {
      cookie: rider.cookie!,
      origin: a.origin,
    });
    opened.push(onA);
    await waitFor(() => onA.provider.synced, 'the list on A');
    const again = Date.now();
    const second = await rider.post('/api/problems', {
      communityId: community,
      category: 'safety_hazard',
      description: '跨实例：5 号楼电梯异响',
      placeId: building,
    });
    expect(second.statusCode, second.body).toBe(201);
    await waitFor(
      () => list().some((p) => p.description === '跨实例：5 号楼电梯异响'),
      'the second report on B',
    );
    expect(Date.now() - again).toBeLessThan(1000);
    await waitFor(
      () => JSON.stringify(onA.doc.getMap('list').get('data')) === JSON.stringify(list()),
      'the same list on A and B',
    );
  });
});
