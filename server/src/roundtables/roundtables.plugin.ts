import type { App } from '../http/types.ts';
import { guestRoutes } from './guests.routes.ts';
import { handoffRoutes } from './handoff.routes.ts';
import { actionItemRoutes } from './items.routes.ts';
import { floorRoutes } from './floor.routes.ts';
import { mineRoutes } from './mine.routes.ts';
import { photoRoutes } from './photos.routes.ts';
import { minutesRoutes } from './minutes.routes.ts';
import { roundtableRoutes } from './roundtables.routes.ts';
import { topicRoutes } from './topics.routes.ts';
import { voteRoutes } from './votes.routes.ts';

/** 圆桌会: convene, raise, discuss live, act, review, and the public result. */
export async function roundtablesPlugin(app: App) {
  await roundtableRoutes(app);
  await topicRoutes(app);
  await floorRoutes(app);
  await voteRoutes(app);
  await actionItemRoutes(app);
  await handoffRoutes(app);
  await minutesRoutes(app);
  await guestRoutes(app);
  await mineRoutes(app);
  // Its own context: the raw-image body parser and its error words stay with the photos.
  await app.register(photoRoutes);
}
