import { EmptyBody } from '@tongxin/shared/auth.schemas';
import { Type } from 'typebox';
import { ClaimView, ConfirmBody, DeliverBody } from '@tongxin/shared/double-report/claims.schemas';
import {
  claimRowsOfUser,
  communitiesOfUser,
  findClaimRow,
  unitsRepresented,
} from '@tongxin/db/double-report/claims.queries';
import type { Command } from '../http/command.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { confirmClaim, deliverClaim, startClaim, withdrawClaim } from './claims.commands.ts';
import { loadRelation, type CommunityRelation } from './community-access.ts';
import { toClaimView } from './views.ts';
import { IdParams } from '../http/params.ts';

const tags = ['double report'];

const BODIES = {
  start: EmptyBody,
  withdraw: EmptyBody,
  deliver: DeliverBody,
  confirm: ConfirmBody,
};

const COMMANDS = {
  start: startClaim,
  withdraw: withdrawClaim,
  deliver: deliverClaim,
  confirm: confirmClaim,
} as const;

export async function claimRoutes(app: App) {
  for (const move of ['start', 'withdraw', 'deliver', 'confirm'] as const) {
    app.post(
      `/claims/:id/${move}`,
      {
        schema: {
          tags,
          params: IdParams,
          body: BODIES[move],
          response: { 200: ClaimView, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const claimId = (request.params as { id: string }).id;
        const command = COMMANDS[move] as Command<{ claimId: string; body: unknown }, void>;
        await command(app, request, { claimId, body: request.body });
        const row = (await findClaimRow(app.db, claimId))!;
        return toClaimView(row, await loadRelation(app.db, requireUser(request), row.communityId));
      },
    );
  }

  app.get(
    '/me/claims',
    {
      schema: {
        tags,
        description: 'My claims, and those of the units I represent.',
        response: { 200: Type.Array(ClaimView), ...errors(401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const communities = await communitiesOfUser(app.db, user.id);
      const unitIds = (
        await Promise.all(communities.map((c) => unitsRepresented(app.db, user.id, c.id)))
      ).flatMap((units) => units.map((u) => u.id));
      const rows = await claimRowsOfUser(app.db, user.id, unitIds);
      const relations = new Map<string, CommunityRelation>();
      const views = [];
      for (const row of rows) {
        let rel = relations.get(row.communityId);
        if (!rel) {
          rel = await loadRelation(app.db, user, row.communityId);
          relations.set(row.communityId, rel);
        }
        views.push(toClaimView(row, rel));
      }
      return views;
    },
  );
}
