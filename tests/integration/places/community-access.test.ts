import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@tongxin/shared/roles';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import type { TestClient } from '../../support/http.ts';
import { onRealPostgres } from '../../support/database.ts';
import { newUser, signedIn } from '../../support/people.ts';

// One rule for every community feature (teams, the double report): who belongs may read its
// teams and lists; its secretary, or a secretary above it, manages; the district organiser
// reads every community but manages none (DOMAIN.md: sees figures, roll-ups, rankings).
let t: TestApp;
const place = new Map<string, string>();

beforeAll(async () => {
  t = await buildTestApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  for (const p of await t.app.db.selectFrom('places').select(['id', 'name']).execute())
    place.set(p.name, p.id);
}, 180_000);
afterAll(() => t.close());

async function holding(role: Role, placeName: string): Promise<TestClient> {
  const userId = await newUser(t.app, `${role}@${placeName}`);
  await t.app.db
    .insertInto('roleAssignments')
    .values({ userId, role, placeId: place.get(placeName)!, unitId: null })
    .execute();
  return signedIn(t.app, userId);
}

async function demo(username: string): Promise<TestClient> {
  const { id } = await t.app.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return signedIn(t.app, id);
}

/** Status codes for reading (teams, lists) and managing (the review queue) 幸福社区. */
async function standing(client: TestClient) {
  const community = place.get('幸福社区')!;
  return {
    teams: (await client.get(`/api/communities/${community}/teams`)).statusCode,
    items: (await client.get(`/api/communities/${community}/items?list=needs`)).statusCode,
    manage: (await client.get(`/api/communities/${community}/review-queue`)).statusCode,
  };
}

describe(`community access (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('lets the secretary and a secretary above the community manage it', async () => {
    const read = { teams: 200, items: 200, manage: 200 };
    expect(await standing(await demo('secretary'))).toEqual(read);
    expect(await standing(await holding('secretary', '滨海街道'))).toEqual(read);
  });

  it('lets residents under it and the district organiser read, not manage', async () => {
    const read = { teams: 200, items: 200, manage: 403 };
    expect(await standing(await demo('resident'))).toEqual(read);
    expect(await standing(await demo('organiser'))).toEqual(read);
    expect(await standing(await holding('organiser', '同心区'))).toEqual(read);
  });

  it("refuses another community's people, its secretary included", async () => {
    const none = { teams: 403, items: 403, manage: 403 };
    expect(await standing(await holding('resident', '和平里'))).toEqual(none);
    expect(await standing(await holding('secretary', '和平社区'))).toEqual(none);
  });

  it('answers 404 for a place that is not a community', async () => {
    const secretary = await demo('secretary');
    const compound = place.get('阳光花园')!;
    expect((await secretary.get(`/api/communities/${compound}/teams`)).statusCode).toBe(404);
    expect((await secretary.get(`/api/communities/${compound}/review-queue`)).statusCode).toBe(404);
  });

  it("lists a person's communities in the order they joined them, whatever their names", async () => {
    const names = async (client: TestClient) =>
      (await client.get('/api/double-report/communities'))
        .json<Array<{ name: string }>>()
        .map((c) => c.name);
    const joins = async (first: string, second: string) => {
      const userId = await newUser(t.app, `${first}-then-${second}`);
      for (const [at, placeName] of [first, second].entries())
        await t.app.db
          .insertInto('roleAssignments')
          .values({
            userId,
            role: 'resident',
            placeId: place.get(placeName)!,
            unitId: null,
            createdAt: new Date(Date.UTC(2026, 0, 1 + at)),
          })
          .execute();
      return names(await signedIn(t.app, userId));
    };
    // The first is the one pages show by default: a second community must not take its place.
    expect(await joins('阳光花园', '和平里')).toEqual(['幸福社区', '和平社区']);
    expect(await joins('和平里', '阳光花园')).toEqual(['和平社区', '幸福社区']);
  });
});
