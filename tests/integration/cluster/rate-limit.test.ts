import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clusterTestsEnabled,
  createTestCluster,
  type ClusterInstance,
  type TestCluster,
} from '../../support/cluster.ts';
import { TestClient } from '../../support/http.ts';
import { waitFor } from '../../support/realtime.ts';

// The HTTP rate limit is one budget across instances (counted in Redis), not one per instance.

describe.skipIf(!clusterTestsEnabled)('rate limits across instances', () => {
  let cluster: TestCluster;
  let a: ClusterInstance;
  let b: ClusterInstance;

  beforeAll(async () => {
    cluster = await createTestCluster(() => {});
    const rateLimit = { user: 6, anonymous: 6 };
    a = await cluster.start({ rateLimit });
    b = await cluster.start({ rateLimit });
    for (const on of [a, b])
      await waitFor(
        async () => (await on.app.inject({ url: '/api/ready' })).statusCode === 200,
        'ready',
      );
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('refuses the seventh request of one address whichever instance it reaches', async () => {
    // One address, its requests spread over both instances by the balancer.
    const onA = new TestClient(a.app, '203.0.113.7');
    const onB = new TestClient(b.app, '203.0.113.7');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await (i % 2 ? onB : onA).get('/api/auth/session')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    // Another address has its own budget.
    expect((await new TestClient(b.app, '203.0.113.8').get('/api/auth/session')).statusCode).toBe(
      200,
    );
  });
});
