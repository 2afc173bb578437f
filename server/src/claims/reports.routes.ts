import { Type } from 'typebox';
import {
  MemberReportBody,
  MemberReportView,
  ReportRoll,
  ReviewReportBody,
  UnitReportBody,
} from '@tongxin/shared/claims/claims.schemas';
import {
  communitiesOfUser,
  findMemberReport,
  listMemberReports,
  listUnitReports,
  representativesIn,
  writeAudit,
  type MemberReport,
} from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser, say } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import type { DoubleReportContext } from './double-report.plugin.ts';
import { loadRelation, requireBelongs, requireSecretary } from './community-access.ts';
import { IdParams } from '../http/params.ts';

const tags = ['double report'];
const Ref = Type.Object({ id: Type.String(), name: Type.String() });

const MyCommunity = Type.Object({
  id: Type.String(),
  name: Type.String(),
  secretary: Type.Boolean(),
  units: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), reported: Type.Boolean() }),
  ),
  memberReport: Type.Union([MemberReportView, Type.Null()]),
});

function memberReportView(r: MemberReport & { memberName: string }) {
  return {
    id: r.id,
    member: { id: r.userId, name: r.memberName },
    unitName: r.unitName,
    skills: r.skills,
    status: r.status,
    reason: r.reason,
    reportedAt: r.reportedAt.toISOString(),
  };
}

export async function reportRoutes(app: App, ctx: DoubleReportContext) {
  app.get(
    '/double-report/communities',
    {
      schema: {
        tags,
        description: 'Communities the caller belongs to, with their part in the double report.',
        response: { 200: Type.Array(MyCommunity), ...errors(401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const communities = await communitiesOfUser(app.db, user.id);
      return Promise.all(
        communities.map(async (c) => {
          const rel = await loadRelation(app.db, user, c.id);
          return {
            id: c.id,
            name: c.name,
            secretary: rel.secretary,
            units: rel.units.map((u) => ({
              ...u,
              reported: rel.reportedUnits.some((r) => r.id === u.id),
            })),
            memberReport: rel.memberReport
              ? memberReportView({ ...rel.memberReport, memberName: user.displayName })
              : null,
          };
        }),
      );
    },
  );

  app.get(
    '/communities/:id/reports',
    {
      schema: { tags, params: IdParams, response: { 200: ReportRoll, ...errors(401, 403, 404) } },
    },
    async (request) => {
      const rel = await loadRelation(app.db, requireUser(request), request.params.id);
      requireBelongs(request, rel);
      const [units, reps, members] = await Promise.all([
        listUnitReports(app.db, rel.community.id),
        representativesIn(app.db, rel.community.id),
        listMemberReports(app.db, rel.community.id),
      ]);
      return {
        community: rel.community,
        units: units.map((u) => ({
          unit: { id: u.unitId, name: u.unitName },
          contact: u.contact,
          commitment: u.commitment,
          reportedAt: u.reportedAt.toISOString(),
          representatives: reps
            .filter((r) => r.unitId === u.unitId)
            .map((r) => ({ id: r.id, name: r.name })),
        })),
        // Everyone sees who has reported; pending and rejected reports only the community.
        members: members
          .filter((m) => rel.secretary || m.status === 'confirmed' || m.userId === rel.user.id)
          .map(memberReportView),
      };
    },
  );

  app.post(
    '/communities/:id/unit-reports',
    {
      schema: {
        tags,
        description: '单位报到: a representative reports their unit, its contact and commitment.',
        params: IdParams,
        body: UnitReportBody,
        response: { 200: Type.Object({ unit: Ref }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const rel = await loadRelation(app.db, requireUser(request), request.params.id);
      const unit = rel.units.find((u) => u.id === request.body.unitId);
      if (!unit)
        throw new AppError(
          403,
          'forbidden',
          say(
            request,
            '只有该单位在本社区的报到代表可以为它报到；请先接受书记发出的单位邀请。',
            "Only the unit's representative in this community can report it; accept the secretary's unit invitation first.",
          ),
          'unitId',
        );
      const body = request.body;
      await app.db.transaction().execute(async (tx) => {
        // Reporting again updates the commitment; the first report's date is kept.
        await tx
          .insertInto('unitReports')
          .values({
            communityId: rel.community.id,
            unitId: unit.id,
            contact: body.contact.trim(),
            commitment: body.commitment.trim(),
            reportedBy: rel.user.id,
          })
          .onConflict((oc) =>
            oc.columns(['communityId', 'unitId']).doUpdateSet({
              contact: body.contact.trim(),
              commitment: body.commitment.trim(),
              reportedBy: rel.user.id,
            }),
          )
          .execute();
        await writeAudit(tx, {
          actorId: rel.user.id,
          action: 'unit.report',
          targetType: 'unit',
          targetId: unit.id,
          details: { communityId: rel.community.id },
        });
      });
      void ctx.publish(rel.community.id);
      return { unit };
    },
  );

  app.post(
    '/communities/:id/member-reports',
    {
      schema: {
        tags,
        description:
          '个人报到: an in-service party member reports to the community where they live.',
        params: IdParams,
        body: MemberReportBody,
        response: { 201: MemberReportView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const rel = await loadRelation(app.db, requireUser(request), request.params.id);
      requireBelongs(request, rel);
      if (await findMemberReport(app.db, rel.user.id)) throw new AppError(409, 'already_reported');
      const row = await app.db.transaction().execute(async (tx) => {
        const inserted = await tx
          .insertInto('memberReports')
          .values({
            userId: rel.user.id,
            communityId: rel.community.id,
            unitName: request.body.unitName.trim(),
            skills: request.body.skills?.trim() ?? '',
          })
          // The partial unique index: two reports at once leave one.
          .onConflict((oc) => oc.column('userId').where('status', '<>', 'rejected').doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!inserted) throw new AppError(409, 'already_reported');
        await writeAudit(tx, {
          actorId: rel.user.id,
          action: 'member.report',
          targetType: 'member_report',
          targetId: inserted.id,
          details: { communityId: rel.community.id },
        });
        return inserted;
      });
      // The secretary's review queue watches the board for reports awaiting review.
      void ctx.publish(rel.community.id);
      return reply.status(201).send(memberReportView({ ...row, memberName: rel.user.displayName }));
    },
  );

  app.post(
    '/member-reports/:id/review',
    {
      schema: {
        tags,
        params: IdParams,
        body: ReviewReportBody,
        response: { 200: MemberReportView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const report = await app.db
        .selectFrom('memberReports')
        .selectAll()
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!report) throw new AppError(404, 'not_found');
      const rel = await loadRelation(app.db, user, report.communityId);
      requireSecretary(request, rel);
      const { decision, reason } = request.body;
      if (decision === 'reject' && !reason?.trim())
        throw new AppError(
          400,
          'validation_failed',
          say(request, '请写明不予确认的理由，报到人会看到。', 'Give the member a reason.'),
          'reason',
        );
      const updated = await app.db.transaction().execute(async (tx) => {
        const row = await tx
          .updateTable('memberReports')
          .set({
            status: decision === 'confirm' ? 'confirmed' : 'rejected',
            reason: decision === 'reject' ? reason!.trim() : null,
            reviewedBy: user.id,
            reviewedAt: new Date(),
          })
          .where('id', '=', report.id)
          .where('status', '=', 'pending')
          .returningAll()
          .executeTakeFirst();
        if (!row)
          throw new AppError(
            409,
            'illegal_state',
            say(request, '这份报到已经处理过了。', 'This report has already been reviewed.'),
          );
        await writeAudit(tx, {
          actorId: user.id,
          action: `member.report.${decision}`,
          targetType: 'member_report',
          targetId: row.id,
        });
        await app.notifications.send(
          tx,
          [row.userId],
          'member_report_reviewed',
          { community: rel.community.name, decision, reason: row.reason ?? '' },
          '/double-report/report',
        );
        return row;
      });
      void app.notifications.refresh([updated.userId]);
      const member = await app.db
        .selectFrom('users')
        .select('displayName')
        .where('id', '=', updated.userId)
        .executeTakeFirstOrThrow();
      void ctx.publish(rel.community.id);
      return memberReportView({ ...updated, memberName: member.displayName });
    },
  );
}
