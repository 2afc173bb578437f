import { DemoInfo } from '@tongxin/shared/demo.schemas';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '@tongxin/db/demo/seed-demo';
import type { App } from '../http/types.ts';

/** Lets the login page offer the demo accounts, only while demo data is switched on. */
export async function demoRoutes(app: App, options: { enabled: boolean }) {
  app.get('/demo', { schema: { tags: ['demo'], response: { 200: DemoInfo } } }, async () => ({
    enabled: options.enabled,
    accounts: options.enabled
      ? DEMO_ACCOUNTS.map((a) => ({
          username: a.username,
          password: DEMO_PASSWORD,
          displayName: a.displayName,
          role: a.role,
          placeName: a.unit ?? a.place,
        }))
      : [],
  }));
}
