import type { App } from '@tongxin/server';
import { TestClient } from './http.ts';

let serial = 0;

/** Signs a client in as a user made directly in the database (no password hashing). */
export async function signedIn(app: App, userId: string): Promise<TestClient> {
  const client = new TestClient(app);
  const cookie = await app.sessions.create(userId);
  client.cookie = `${cookie.name}=${cookie.value}`;
  return client;
}

/** A user made directly in the database, sharing the demo resident's password hash. */
export async function newUser(app: App, name: string): Promise<string> {
  const template = await app.db
    .selectFrom('users')
    .select('passwordHash')
    .where('username', '=', 'resident')
    .executeTakeFirstOrThrow();
  const row = await app.db
    .insertInto('users')
    .values({
      username: `u${serial++}_${Date.now()}`,
      displayName: name,
      passwordHash: template.passwordHash,
      phone: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** `n` residents of the place, signed in: `userId` and a `client` each. */
export async function residents(app: App, placeId: string, n: number, name = '居民') {
  const ids: string[] = [];
  // One at a time: the ids come back in creation order.
  for (let i = 0; i < n; i++) ids.push(await newUser(app, `${name}${i}`));
  if (ids.length)
    await app.db
      .insertInto('roleAssignments')
      .values(ids.map((userId) => ({ userId, role: 'resident' as const, placeId, unitId: null })))
      .execute();
  return Promise.all(ids.map(async (userId) => ({ userId, client: await signedIn(app, userId) })));
}

export const nextSerial = () => serial++;
