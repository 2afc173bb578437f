import type { App } from '@tongxin/server';
import { TestClient } from '../../support/http.ts';
import { newUser, nextSerial, signedIn } from '../../support/people.ts';

/** Places of the demo district by name. */
export async function placeIds(client: TestClient): Promise<Map<string, string>> {
  const list = (await client.get('/api/places')).json<{ id: string; name: string }[]>();
  return new Map(list.map((p) => [p.name, p.id]));
}

/** `n` units, each with a representative who has reported it to the community. */
export async function reportedUnits(app: App, communityId: string, n: number) {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const userId = await newUser(app, `代表${i}`);
      const unit = await app.db
        .insertInto('units')
        .values({ name: `测试单位${nextSerial()}-${i}`, kind: 'enterprise' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await app.db
        .insertInto('roleAssignments')
        .values({ userId, role: 'unit_rep', placeId: communityId, unitId: unit.id })
        .execute();
      await app.db
        .insertInto('unitReports')
        .values({
          communityId,
          unitId: unit.id,
          contact: '联系人',
          commitment: '承诺',
          reportedBy: userId,
        })
        .execute();
      return { client: await signedIn(app, userId), unitId: unit.id };
    }),
  );
}

/** A party member living in the community who has not reported yet. */
export async function unreportedMember(app: App, communityId: string) {
  const userId = await newUser(app, '新党员');
  await app.db
    .insertInto('roleAssignments')
    .values({ userId, role: 'party_member', placeId: communityId, unitId: null })
    .execute();
  return signedIn(app, userId);
}

/** `n` party members living in the community, their reports confirmed. */
export async function confirmedMembers(app: App, communityId: string, n: number) {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const userId = await newUser(app, `党员${i}`);
      await app.db
        .insertInto('roleAssignments')
        .values({ userId, role: 'party_member', placeId: communityId, unitId: null })
        .execute();
      await app.db
        .insertInto('memberReports')
        .values({
          userId,
          communityId,
          unitName: '某单位',
          status: 'confirmed',
          reviewedAt: new Date(),
        })
        .execute();
      return signedIn(app, userId);
    }),
  );
}
