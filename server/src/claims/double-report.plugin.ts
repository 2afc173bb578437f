import type { App } from '../http/types.ts';
import { boardRoutes } from './board.routes.ts';
import { registerBoard } from './board.ts';
import { claimRoutes } from './claims.routes.ts';
import { itemRoutes } from './items.routes.ts';
import { reportRoutes } from './reports.routes.ts';

/** What the double-report commands share: publishing the community's live 公示 board. */
export interface DoubleReportContext {
  publish(communityId: string): Promise<void>;
}

/** 双报到 · 双认领: reports, the three lists, claims and the public board. */
export async function doubleReportRoutes(app: App) {
  const ctx: DoubleReportContext = registerBoard(app);
  await reportRoutes(app, ctx);
  await itemRoutes(app, ctx);
  await claimRoutes(app, ctx);
  await boardRoutes(app);
}
