import { buildApp, type App, type BuildOptions } from '@tongxin/server';
import { createTestDatabase } from './database.ts';

export const TEST_ORIGIN = 'http://localhost:80';

export interface TestApp {
  app: App;
  close(): Promise<void>;
}

/** Builds the real app on a fresh database; `close()` also drops that database. */
export async function buildTestApp(options: Partial<BuildOptions> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const app = await buildApp({ database: database.config, demo: false, webDir: null, ...options });
  return {
    app,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
