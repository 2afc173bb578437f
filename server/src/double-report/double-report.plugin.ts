import type { App } from '../http/types.ts';
import { boardRoutes } from './board.routes.ts';
import { claimRoutes } from './claims.routes.ts';
import { claimItemRoutes } from './items.routes.ts';
import { reportRoutes } from './reports.routes.ts';

/** 双报到 · 双认领: reports, the three lists, claims and the public board. */
export async function doubleReportRoutes(app: App) {
  await reportRoutes(app);
  await claimItemRoutes(app);
  await claimRoutes(app);
  await boardRoutes(app);
}
