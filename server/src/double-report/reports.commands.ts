import type {
  MemberReportBody,
  ReviewReportBody,
  UnitReportBody,
} from '@tongxin/shared/double-report/claims.schemas';
import { findMemberReport } from '@tongxin/db/double-report/claims.queries';
import {
  findMemberReportById,
  insertMemberReport,
  reviewMemberReport as settleMemberReport,
  upsertUnitReport,
} from '@tongxin/db/double-report/reports.queries';
import { AppError, refuse } from '../http/app-error.ts';
import type { App } from '../http/types.ts';
import { claimsCommand } from './command.ts';

/** 单位报到: a representative reports their unit, its contact and commitment (again: updates). */
export const reportUnit = claimsCommand({
  target: async (_app, input: { communityId: string; body: UnitReportBody }) => ({
    communityId: input.communityId,
  }),
  authorise({ rel }, { body }) {
    if (!rel.units.some((u) => u.id === body.unitId)) throw refuse('not_unit_rep', {}, 'unitId');
  },
  async run(tx, { rel }, _locked, { body }) {
    await upsertUnitReport(tx, {
      communityId: rel.community.id,
      unitId: body.unitId,
      contact: body.contact.trim(),
      commitment: body.commitment.trim(),
      reportedBy: rel.user.id,
    });
    return rel.units.find((u) => u.id === body.unitId)!;
  },
  audit: {
    action: 'unit.report',
    entry: ({ rel }, _input, unit) => ({
      actorId: rel.user.id,
      targetType: 'unit',
      targetId: unit.id,
      details: { communityId: rel.community.id },
    }),
  },
});

/** 个人报到: an in-service party member reports to the community where they live. */
export const reportMember = claimsCommand({
  async target(app: App, input: { userId: string; communityId: string; body: MemberReportBody }) {
    // One live report per member, wherever it is.
    if (await findMemberReport(app.db, input.userId)) throw refuse('already_reported');
    return { communityId: input.communityId };
  },
  authorise({ rel }) {
    if (!rel.belongs) throw refuse('not_in_community');
  },
  async run(tx, { rel }, _locked, { body }) {
    const report = await insertMemberReport(tx, {
      userId: rel.user.id,
      communityId: rel.community.id,
      unitName: body.unitName.trim(),
      skills: body.skills?.trim() ?? '',
    });
    // The partial unique index: two reports at once leave one.
    if (!report) throw refuse('already_reported');
    return report;
  },
  audit: {
    action: 'member.report',
    entry: ({ rel }, _input, report) => ({
      actorId: rel.user.id,
      targetType: 'member_report',
      targetId: report.id,
      details: { communityId: rel.community.id },
    }),
  },
});

/** The secretary confirms a member's report (or says why not); the member hears. */
function reviewMemberReport(decision: ReviewReportBody['decision']) {
  return claimsCommand({
    async target(app: App, input: { reportId: string; body: ReviewReportBody }) {
      const report = await findMemberReportById(app.db, input.reportId);
      if (!report) throw new AppError(404, 'not_found');
      return report;
    },
    authorise({ rel }, { body }) {
      if (!rel.secretary) throw refuse('secretary_only');
      if (decision === 'reject' && !body.reason?.trim())
        throw refuse('rejection_needs_reason', {}, 'reason');
    },
    async run(tx, { rel, target: report }, _locked, { body }) {
      const settled = await settleMemberReport(tx, report.id, {
        status: decision === 'confirm' ? 'confirmed' : 'rejected',
        reason: decision === 'reject' ? body.reason!.trim() : null,
        reviewedBy: rel.user.id,
      });
      if (!settled) throw refuse('report_already_reviewed');
      return settled;
    },
    audit: {
      action: `member.report.${decision}`,
      entry: ({ rel }, _input, report) => ({
        actorId: rel.user.id,
        targetType: 'member_report',
        targetId: report.id,
      }),
    },
    notice: ({ rel }, _input, report) => ({
      to: [report.userId],
      kind: 'member_report_reviewed',
      params: { community: rel.community.name, decision, reason: report.reason ?? '' },
      link: '/double-report/report',
    }),
  });
}

export const confirmMemberReport = reviewMemberReport('confirm');
export const rejectMemberReport = reviewMemberReport('reject');
