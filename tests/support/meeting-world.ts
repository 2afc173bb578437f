// A roundtable in 议事 with a chair and residents, as the roundtable, foundation and cluster
// tests start from.
import { expect } from 'vitest';
import type { App } from '@tongxin/server';
import type { TestClient } from './http.ts';
import { residents, signedIn } from './people.ts';

export interface MeetingWorld {
  app: App;
  community: string;
  chair: TestClient;
  /** The roundtable, in 议事 with one agenda topic. */
  id: string;
  topicId: string;
  people: { userId: string; client: TestClient }[];
}

export async function userIdOf(app: App, username: string): Promise<string> {
  const row = await app.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function communityId(app: App): Promise<string> {
  const row = await app.db
    .selectFrom('places')
    .select('id')
    .where('name', '=', '幸福社区')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function ok<T = unknown>(
  res: { statusCode: number; body: string; json: () => unknown },
  status = 200,
): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

/** A roundtable at 幸福社区 (no quorum) with one accepted topic, in 议事, and `n` residents. */
export async function meetingWorld(app: App, n = 3, title = '停车难怎么办'): Promise<MeetingWorld> {
  const community = await communityId(app);
  const chair = await signedIn(app, await userIdOf(app, 'secretary'));
  const people = await residents(app, community, n, '邻居');
  const { id } = ok<{ id: string }>(
    await chair.post('/api/roundtables', {
      placeId: community,
      title,
      localName: '幸福家园圆桌会',
      location: '党群服务中心',
      startsAt: new Date().toISOString(),
      // No quorum: these meetings open votes without check-ins (quorum.test.ts has one).
    }),
    201,
  );
  const { id: topicId } = ok<{ id: string }>(
    await people[0]!.client.post(`/api/roundtables/${id}/topics`, {
      title: '车位不够',
      category: 'parking',
    }),
    201,
  );
  ok(await chair.post(`/api/topics/${topicId}/screen`, { decision: 'accept' }));
  ok(await chair.post(`/api/roundtables/${id}/advance`, { from: 'raise' }));
  return { app, community, chair, id, topicId, people };
}
