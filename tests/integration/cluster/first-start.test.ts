import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '@tongxin/server';
import { clusterTestsEnabled, TEST_REDIS_URL } from '../../support/cluster.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

// The README's recipe starts three instances at once on an empty database with the demo on:
// they must migrate it and seed the demo once between them, and all three come up.

describe.skipIf(!clusterTestsEnabled)(
  'three instances starting together on an empty database',
  () => {
    const apps: App[] = [];
    let database: TestDatabase | undefined;
    afterAll(async () => {
      for (const app of apps) await app.close().catch(() => {});
      await database?.drop();
    });

    it('migrate and seed the demo once, and every one starts', async () => {
      database = await createTestDatabase();
      const { databaseUrl } = database.config;
      const prefix = `tongxin-test-first-start-${Date.now()}`;
      const started = await Promise.allSettled(
        [0, 1, 2].map(() =>
          buildApp({
            database: { databaseUrl },
            demo: true,
            webDir: null,
            cluster: { redisUrl: TEST_REDIS_URL, prefix },
          }),
        ),
      );
      for (const result of started) if (result.status === 'fulfilled') apps.push(result.value);
      expect(started.map((r) => (r.status === 'rejected' ? String(r.reason) : 'started'))).toEqual([
        'started',
        'started',
        'started',
      ]);
      const db = apps[0]!.db;
      const users = await db.selectFrom('users').select('username').execute();
      expect(users.filter((u) => u.username === 'secretary')).toHaveLength(1);
      const places = await db
        .selectFrom('places')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('name', '=', '同心区')
        .executeTakeFirstOrThrow();
      expect(Number(places.n)).toBe(1);
    });
  },
);
