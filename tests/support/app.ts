import { buildApp, type App, type BuildOptions } from '@tongxin/server';
import { createMigratedTestDatabase } from './database.ts';

export const TEST_ORIGIN = 'http://localhost:80';

export interface TestApp {
  app: App;
  close(): Promise<void>;
}

export interface TestAppOptions extends Partial<BuildOptions> {
  /** Told every SQL statement the app runs (see statements.ts). */
  onQuery?: (sql: string) => void;
}

/** Builds the real app on a fresh, migrated database; `close()` also drops that database. */
export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { onQuery, database: pool, ...rest } = options;
  const database = await createMigratedTestDatabase();
  const app = await buildApp({
    // `database` may set the pool (poolSize, reservedConnections); the test database stays.
    database: { ...pool, ...database.config, onQuery },
    demo: false,
    webDir: null,
    ...rest,
  });
  return {
    app,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
