import { PROBLEM_CATEGORIES, problemLimitsOf } from '@tongxin/shared/problems/problems';
import {
  ClearRouteBody,
  RoutingQuery,
  RoutingView,
  SetRouteBody,
} from '@tongxin/shared/problems/routing.schemas';
import { findCommunity } from '@tongxin/db/problems/problems.queries';
import { routeChoices, routesOf } from '@tongxin/db/problems/routing.queries';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { clearProblemRoute, mayRoute, setProblemRoute } from './routing.commands.ts';

const tags = ['problems'];

/** 分类派单: who receives each category of 随手拍 reports in a community. */
export async function routingRoutes(app: App) {
  async function view(userId: Parameters<typeof requireUser>[0], communityId: string) {
    const user = requireUser(userId);
    if (!(await findCommunity(app.db, communityId))) throw new AppError(404, 'not_found');
    const [rows, choices, mayEdit] = await Promise.all([
      routesOf(app.db, communityId),
      routeChoices(app.db, communityId),
      mayRoute(app, user, communityId),
    ]);
    const routes = PROBLEM_CATEGORIES.map((category) => {
      const row = rows.find((r) => r.category === category);
      const limits = problemLimitsOf(category, row);
      return {
        category,
        ownerKind: row?.ownerKind ?? ('grid' as const),
        owner:
          row?.unitId && row.unitName
            ? { id: row.unitId, name: row.unitName }
            : row?.teamId && row.teamName
              ? { id: row.teamId, name: row.teamName }
              : null,
        ...limits,
        ownLimits: row?.respondHours != null || row?.resolveDays != null,
      };
    });
    return { communityId, routes, ...choices, mayEdit };
  }

  app.get(
    '/problems/routing',
    {
      schema: {
        tags,
        description: 'Who receives each category of reports in a community, and its time limits.',
        querystring: RoutingQuery,
        response: { 200: RoutingView, ...errors(400, 401, 404) },
      },
    },
    (request) => view(request, request.query.communityId),
  );

  app.post(
    '/problems/routing',
    {
      schema: {
        tags,
        description: 'The secretary routes a category to the grid worker, a unit or a team.',
        body: SetRouteBody,
        response: { 200: RoutingView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await setProblemRoute(app, request, request.body);
      return view(request, request.body.communityId);
    },
  );

  app.post(
    '/problems/routing/clear',
    {
      schema: {
        tags,
        description: 'Back to the default: the grid worker, with the default time limits.',
        body: ClearRouteBody,
        response: { 200: RoutingView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await clearProblemRoute(app, request, request.body);
      return view(request, request.body.communityId);
    },
  );
}
