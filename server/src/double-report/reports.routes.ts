import { Type } from 'typebox';
import {
  MemberReportBody,
  MemberReportView,
  ReportRoll,
  ReviewReportBody,
  UnitReportBody,
} from '@tongxin/shared/double-report/claims.schemas';
import {
  communitiesOfUser,
  listMemberReports,
  listUnitReports,
  representativesIn,
} from '@tongxin/db/double-report/claims.queries';
import type { MemberReport } from '@tongxin/db/double-report/claims.tables';
import { displayNameOf } from '@tongxin/db/double-report/reports.queries';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { loadRelation, requireBelongs } from './community-access.ts';
import {
  confirmMemberReport,
  rejectMemberReport,
  reportMember,
  reportUnit,
} from './reports.commands.ts';
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

export async function reportRoutes(app: App) {
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
      const unit = await reportUnit(app, request, {
        communityId: request.params.id,
        body: request.body,
      });
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
      const user = requireUser(request);
      const report = await reportMember(app, request, {
        userId: user.id,
        communityId: request.params.id,
        body: request.body,
      });
      return reply.status(201).send(memberReportView({ ...report, memberName: user.displayName }));
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
      const review = request.body.decision === 'confirm' ? confirmMemberReport : rejectMemberReport;
      const report = await review(app, request, {
        reportId: request.params.id,
        body: request.body,
      });
      return memberReportView({
        ...report,
        memberName: await displayNameOf(app.db, report.userId),
      });
    },
  );
}
