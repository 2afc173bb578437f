import { Type } from 'typebox';
import { Board, RecordRow, ReviewQueue } from '@tongxin/shared/double-report/claims.schemas';
import {
  claimRowsOfCommunity,
  itemsAwaitingReview,
  listMemberReports,
} from '@tongxin/db/double-report/claims.queries';
import { errors } from '../http/error-responses.ts';
import { requestLocale, requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { computeBoard, computeRecords, recordsCsv } from './board.ts';
import { loadRelation, requireBelongs, requireSecretary } from './community-access.ts';
import { toClaimView, toItemSummary } from './views.ts';
import { IdParams } from '../http/params.ts';

const tags = ['double report'];

export async function boardRoutes(app: App) {
  app.get(
    '/communities/:id/board',
    {
      schema: {
        tags,
        description:
          '公示: who reported, who claimed what, status and fulfilment rate. Live as `claims-board:<id>`.',
        params: IdParams,
        response: { 200: Board, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const rel = await loadRelation(app.db, requireUser(request), request.params.id);
      requireBelongs(request, rel);
      return computeBoard(app.db, rel.community.id);
    },
  );

  app.get(
    '/communities/:id/records',
    {
      schema: {
        tags,
        description:
          'Per-unit and per-member records for the annual two-way evaluation (双向考核).',
        params: IdParams,
        response: { 200: Type.Array(RecordRow), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const rel = await loadRelation(app.db, requireUser(request), request.params.id);
      requireBelongs(request, rel);
      return computeRecords(app.db, rel.community.id);
    },
  );

  app.get(
    '/communities/:id/records.csv',
    {
      schema: {
        tags,
        params: IdParams,
        produces: ['text/csv'],
        response: { 200: Type.String(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const rel = await loadRelation(app.db, requireUser(request), request.params.id);
      requireBelongs(request, rel);
      const en = requestLocale(request) === 'en';
      const name = `${rel.community.name}-${en ? 'records' : '双报到考核'}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="records.csv"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .send(recordsCsv(await computeRecords(app.db, rel.community.id), en));
    },
  );

  app.get(
    '/communities/:id/review-queue',
    {
      schema: {
        tags,
        description:
          "The secretary's queue: wishes to review, deliveries to confirm, member reports to confirm.",
        params: IdParams,
        response: { 200: ReviewQueue, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const rel = await loadRelation(app.db, requireUser(request), request.params.id);
      requireSecretary(request, rel);
      const [wishes, deliveries, members] = await Promise.all([
        itemsAwaitingReview(app.db, rel.community.id),
        claimRowsOfCommunity(app.db, rel.community.id, ['delivered']),
        listMemberReports(app.db, rel.community.id),
      ]);
      return {
        wishes: wishes.map(toItemSummary),
        deliveries: deliveries.map((c) => toClaimView(c, rel)),
        memberReports: members
          .filter((m) => m.status === 'pending')
          .map((m) => ({
            id: m.id,
            member: { id: m.userId, name: m.memberName },
            unitName: m.unitName,
            skills: m.skills,
            status: m.status,
            reason: m.reason,
            reportedAt: m.reportedAt.toISOString(),
          })),
      };
    },
  );
}
