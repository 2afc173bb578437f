import type { ClearRouteBody, SetRouteBody } from '@tongxin/shared/problems/routing.schemas';
import type { User } from '@tongxin/db/database';
import { holdsRoleOver } from '@tongxin/db/users/roles.queries';
import { findCommunity } from '@tongxin/db/problems/problems.queries';
import { deleteRoute, routeChoices, upsertRoute } from '@tongxin/db/problems/routing.queries';
import { AppError, refuse } from '../http/app-error.ts';
import { defineCommand } from '../http/command.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';

/** Whether the user sets this community's routes: a secretary of it or of a place above it. */
export const mayRoute = (app: App, user: User, communityId: string) =>
  holdsRoleOver(app.db, user.id, ['secretary'], communityId);

async function loadSecretary(
  app: App,
  request: Parameters<typeof requireUser>[0],
  communityId: string,
) {
  const user = requireUser(request);
  if (!(await findCommunity(app.db, communityId))) throw new AppError(404, 'not_found');
  return { user, secretary: await mayRoute(app, user, communityId) };
}

/**
 * 分类派单: the secretary says who receives a category's new reports — the grid worker (the
 * default), a unit that reported to the community, or one of its service teams — and, if it
 * wants, the category's own time limits. Reports already made keep their owner.
 */
export const setProblemRoute = defineCommand({
  load: (app, request, body: SetRouteBody) => loadSecretary(app, request, body.communityId),
  authorise({ secretary }) {
    if (!secretary) throw refuse('not_community_secretary');
  },
  // One upsert on the (community, category) key: nothing else to hold.
  lock: async () => null,
  async run(tx, { user }, _locked, body) {
    const { units, teams } = await routeChoices(tx, body.communityId);
    const pool = body.ownerKind === 'unit' ? units : body.ownerKind === 'team' ? teams : [];
    if (
      body.ownerKind === 'grid'
        ? body.ownerId !== undefined
        : !pool.some((o) => o.id === body.ownerId)
    )
      throw refuse('route_owner_invalid', {}, 'ownerId');
    await upsertRoute(tx, {
      communityId: body.communityId,
      category: body.category,
      ownerKind: body.ownerKind,
      unitId: body.ownerKind === 'unit' ? body.ownerId! : null,
      teamId: body.ownerKind === 'team' ? body.ownerId! : null,
      respondHours: body.respondHours ?? null,
      resolveDays: body.resolveDays ?? null,
      setBy: user.id,
    });
    return { communityId: body.communityId };
  },
  audit: {
    action: 'problem.route.set',
    entry: ({ user }, body, { communityId }) => ({
      actorId: user.id,
      targetType: 'place',
      targetId: communityId,
      details: { ...body },
    }),
  },
});

/** Back to the default: the grid worker, with the default time limits. */
export const clearProblemRoute = defineCommand({
  load: (app, request, body: ClearRouteBody) => loadSecretary(app, request, body.communityId),
  authorise({ secretary }) {
    if (!secretary) throw refuse('not_community_secretary');
  },
  lock: async () => null,
  async run(tx, _ctx, _locked, body) {
    return {
      communityId: body.communityId,
      cleared: await deleteRoute(tx, body.communityId, body.category),
    };
  },
  audit: {
    action: 'problem.route.clear',
    entry: ({ user }, { category }, { communityId, cleared }) => ({
      actorId: user.id,
      targetType: 'place',
      targetId: communityId,
      details: { category, cleared },
    }),
  },
});
