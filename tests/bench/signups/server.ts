// The app on one database, with signed-in residents who already hold HISTORY upcoming activities
// each, and fresh activities to sign up for: `hot` (one per wave, everyone on it) and `spread`
// (one per client per wave). Sends its layout over IPC once ready and serves until killed; it
// answers `take` with the statements sent to the database since the last `take`.
// BENCH_DATABASE_URL: an admin URL of a real Postgres (a throw-away database is made and
// dropped); unset: embedded PGlite in memory. Sessions are made directly, not by logging in
// (argon2 for 200 people would dominate the start-up and is no part of a sign-up).
import { randomBytes } from 'node:crypto';
import { buildApp } from '@tongxin/server';
import { createTestDatabase } from '../../support/database.ts';
import { serveBench } from './serve.ts';

const clients = Number(process.env.BENCH_CLIENTS ?? 200);
const waves = Number(process.env.BENCH_WAVES ?? 3);
const history = Number(process.env.BENCH_HISTORY ?? 20);
const capacity = Number(process.env.BENCH_CAPACITY ?? 50);
const adminUrl = process.env.BENCH_DATABASE_URL;

// '' (not undefined) when unset: the embedded run must not fall back on TEST_DATABASE_URL.
const db = await createTestDatabase(adminUrl ?? '', 'tongxin_bench');
const app = await buildApp({
  database: db.config,
  demo: true,
  webDir: null,
  rateLimit: { user: 1_000_000, anonymous: 1_000_000 },
});
const community = await app.db
  .selectFrom('places')
  .select('id')
  .where('name', '=', '幸福社区')
  .executeTakeFirstOrThrow();
const secretary = await app.db
  .selectFrom('users')
  .select('id')
  .where('username', '=', 'secretary')
  .executeTakeFirstOrThrow();
const users = await app.db
  .insertInto('users')
  .values(
    Array.from({ length: clients }, (_, i) => ({
      username: `bench${i}`,
      displayName: `志愿者${i}`,
      passwordHash: 'not-used: sessions are made directly',
      phone: null,
    })),
  )
  .returning('id')
  .execute();
await app.db
  .insertInto('roleAssignments')
  .values(
    users.map((u) => ({
      userId: u.id,
      role: 'resident' as const,
      placeId: community.id,
      unitId: null,
    })),
  )
  .execute();
const cookies: string[] = [];
for (const u of users) {
  const c = await app.sessions.create(u.id);
  cookies.push(`${c.name}=${c.value}`);
}

let slot = 0;
const day = 86_400_000;
const first = Date.now() + 7 * day;
/** `n` new activities, each two hours, one after another from a week ahead. */
async function activities(n: number, title: string, cap = capacity): Promise<string[]> {
  const ids: string[] = [];
  for (let done = 0; done < n; done += 1000) {
    const rows = await app.db
      .insertInto('activities')
      .values(
        Array.from({ length: Math.min(1000, n - done) }, () => {
          const startsAt = new Date(first + slot++ * 3 * 3600_000);
          return {
            communityId: community.id,
            title,
            place: '社区服务站',
            startsAt,
            endsAt: new Date(startsAt.getTime() + 2 * 3600_000),
            capacity: cap,
            checkinCode: randomBytes(12).toString('base64url'),
            createdBy: secretary.id,
          };
        }),
      )
      .returning('id')
      .execute();
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

// History: everyone already holds places on HISTORY upcoming activities (what made the old
// overlap check grow).
for (const id of await activities(history, '既有活动', 1000)) {
  await app.db
    .insertInto('signups')
    .values(
      users.map((u, i) => ({
        activityId: id,
        userId: u.id,
        status: 'confirmed' as const,
        arrival: i + 1,
      })),
    )
    .execute();
  await app.db
    .updateTable('activities')
    .set({ confirmedCount: clients, signupSeq: clients })
    .where('id', '=', id)
    .execute();
}
// Waves: one warm-up and three repeats of `waves` each, for both layouts.
const total = 1 + 3 * waves;
const hot = await activities(total, '压测活动');
const spreadFlat = await activities(total * clients, '分散活动');
const spread = Array.from({ length: total }, (_, w) =>
  spreadFlat.slice(w * clients, (w + 1) * clients),
);

await serveBench(app, { cookies, hot, spread }, () => db.drop());
