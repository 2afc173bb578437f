import { generateAllServiceDays } from '@tongxin/db/teams/service-days.queries';
import type { App } from '../http/types.ts';
import { activityRoutes } from './activities.routes.ts';
import { checkinRoutes } from './checkin.routes.ts';
import { pointsRoutes } from './points.routes.ts';
import { sendDueReminders } from './reminders.ts';
import { serviceDayRoutes } from './service-days.routes.ts';
import { teamRoutes } from './teams.routes.ts';

/** How often service days are laid out ahead and day-before reminders go out. */
const TICK_MS = 10 * 60_000;

/** 服务队 · 志愿服务: teams, activities and sign-ups, check-in, hours, points and the live board. */
export async function teamsRoutes(app: App) {
  await teamRoutes(app);
  await activityRoutes(app);
  await checkinRoutes(app);
  await pointsRoutes(app);
  await serviceDayRoutes(app);

  const tick = async () => {
    try {
      await generateAllServiceDays(app.db);
      await sendDueReminders(app);
    } catch (error) {
      app.log.warn({ err: error }, 'teams tick failed');
    }
  };
  const timer = setInterval(() => void tick(), TICK_MS);
  timer.unref();
  app.addHook('onReady', async () => void tick());
  app.addHook('onClose', async () => clearInterval(timer));
}
