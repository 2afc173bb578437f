// The app on one database, with 200 signed-in residents and shifts to sign up for; prints
// `BENCH_READY {...}` and serves until killed. BENCH_DATABASE_URL: an admin URL of a real
// Postgres (a throw-away database is made and dropped); unset: embedded PGlite in memory.
import { randomBytes } from 'node:crypto';
import { buildApp } from '@tongxin/server';
import { createTestDatabase } from '../../support/database.ts';

const clients = Number(process.env.BENCH_CLIENTS ?? 200);
const waves = Number(process.env.BENCH_WAVES ?? 10);
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
const hash = await app.db
  .selectFrom('users')
  .select('passwordHash')
  .where('username', '=', 'resident')
  .executeTakeFirstOrThrow();
const users = await app.db
  .insertInto('users')
  .values(
    Array.from({ length: clients }, (_, i) => ({
      username: `bench${i}`,
      displayName: `志愿者${i}`,
      passwordHash: hash.passwordHash,
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
const start = Date.now() + 7 * 86_400_000;
const activities = await app.db
  .insertInto('activities')
  .values(
    Array.from({ length: waves + 1 }, (_, i) => ({
      communityId: community.id,
      title: `压测班次${i}`,
      place: '社区服务站',
      startsAt: new Date(start + i * 3 * 3600_000),
      endsAt: new Date(start + i * 3 * 3600_000 + 2 * 3600_000),
      capacity,
      checkinCode: randomBytes(12).toString('base64url'),
      createdBy: secretary.id,
    })),
  )
  .returning('id')
  .execute();

await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(
  `BENCH_READY ${JSON.stringify({ port, cookies, activities: activities.map((a) => a.id) })}\n`,
);

const stop = async () => {
  await app.close();
  await db.drop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
