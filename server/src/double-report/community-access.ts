import type { ClaimFacts } from '@tongxin/shared/double-report/claims';
import type { DbOrTx } from '@tongxin/db/create-db';
import type { User } from '@tongxin/db/database';
import { findMemberReport, unitsRepresented } from '@tongxin/db/double-report/claims.queries';
import type { MemberReport } from '@tongxin/db/double-report/claims.tables';
import { reportedUnitIds } from '@tongxin/db/double-report/reports.queries';
import { loadCommunityAccess, type CommunityAccess } from '../places/community-access.ts';

export { requireBelongs, requireSecretary } from '../places/community-access.ts';

/** What a person is to one community's double report: the common access, and their units. */
export interface CommunityRelation extends CommunityAccess {
  /** Units this person represents here. */
  units: Array<{ id: string; name: string }>;
  /** Those of `units` that have reported to this community (and so may claim here). */
  reportedUnits: Array<{ id: string; name: string }>;
  /** Their member report, if it is for this community. */
  memberReport: MemberReport | null;
}

export async function loadRelation(
  db: DbOrTx,
  user: User,
  communityId: string,
): Promise<CommunityRelation> {
  const access = await loadCommunityAccess(db, user, communityId);
  const [units, report] = await Promise.all([
    unitsRepresented(db, user.id, communityId),
    findMemberReport(db, user.id),
  ]);
  const reported = await reportedUnitIds(
    db,
    communityId,
    units.map((u) => u.id),
  );
  return {
    ...access,
    units,
    reportedUnits: units.filter((u) => reported.includes(u.id)),
    memberReport: report?.communityId === communityId ? report : null,
  };
}

/** The facts the shared claim rule judges: the item, what the person is here, who holds it. */
export function claimFacts(
  item: ClaimFacts['item'],
  rel: CommunityRelation,
  liveClaims: ClaimFacts['liveClaims'],
): ClaimFacts {
  return {
    item,
    actor: {
      userId: rel.user.id,
      units: rel.units.map((u) => u.id),
      reportedUnits: rel.reportedUnits.map((u) => u.id),
      memberReported: rel.memberReport?.status === 'confirmed',
    },
    liveClaims,
  };
}
