import type { FastifyRequest } from 'fastify';
import {
  communitiesOfUser,
  findMemberReport,
  findPlace,
  holdsRoleOver,
  unitsRepresented,
  type DbOrTx,
  type MemberReport,
  type User,
} from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { say } from '../http/request-context.ts';

/** What a person is to one community, for deciding what they may see and do there. */
export interface CommunityRelation {
  user: User;
  community: { id: string; name: string };
  /** Holds a role in, under or above it: may read its lists and board. */
  belongs: boolean;
  /** The community's secretary (or one above it): reviews, confirms, publishes. */
  secretary: boolean;
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
  const place = await findPlace(db, communityId);
  if (!place || place.kind !== 'community') throw new AppError(404, 'not_found');
  const [mine, secretary, units, report] = await Promise.all([
    communitiesOfUser(db, user.id),
    holdsRoleOver(db, user.id, ['secretary'], communityId),
    unitsRepresented(db, user.id, communityId),
    findMemberReport(db, user.id),
  ]);
  const reported = units.length
    ? await db
        .selectFrom('unitReports')
        .select('unitId')
        .where('communityId', '=', communityId)
        .where(
          'unitId',
          'in',
          units.map((u) => u.id),
        )
        .execute()
    : [];
  return {
    user,
    community: { id: place.id, name: place.name },
    belongs: mine.some((c) => c.id === communityId),
    secretary,
    units,
    reportedUnits: units.filter((u) => reported.some((r) => r.unitId === u.id)),
    memberReport: report?.communityId === communityId ? report : null,
  };
}

export function requireBelongs(request: FastifyRequest, rel: CommunityRelation): void {
  if (!rel.belongs)
    throw new AppError(
      403,
      'forbidden',
      say(request, '您不属于这个社区。', 'You do not belong to this community.'),
    );
}

export function requireSecretary(request: FastifyRequest, rel: { secretary: boolean }): void {
  if (!rel.secretary)
    throw new AppError(
      403,
      'forbidden',
      say(
        request,
        '只有本社区的书记可以进行这项操作。',
        "Only this community's secretary can do this.",
      ),
    );
}
