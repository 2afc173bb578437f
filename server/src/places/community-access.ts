import type { FastifyRequest } from 'fastify';
import { communitiesOfUser, findPlace, holdsRoleOver, type DbOrTx, type User } from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { say } from '../http/request-context.ts';

/**
 * What a person is to one community, the rule every community feature (teams, the double
 * report) starts from:
 * - `belongs`: a role in the community, under it (a compound, a building, a grid) or above it
 *   (the sub-district, the district organiser) — may see its teams, lists and boards;
 * - `secretary`: its party secretary, or a secretary of a place above it — may manage: review,
 *   confirm, publish, keep any team's shifts. The district organiser sees every community's
 *   figures (DOMAIN.md) but runs none of them, so holding `organiser` is not enough.
 */
export interface CommunityAccess {
  user: User;
  community: { id: string; name: string };
  belongs: boolean;
  secretary: boolean;
}

/** 404 for anything but a community. */
export async function loadCommunityAccess(
  db: DbOrTx,
  user: User,
  communityId: string,
): Promise<CommunityAccess> {
  const place = await findPlace(db, communityId);
  if (!place || place.kind !== 'community') throw new AppError(404, 'not_found');
  const [mine, secretary] = await Promise.all([
    communitiesOfUser(db, user.id),
    holdsRoleOver(db, user.id, ['secretary'], communityId),
  ]);
  return {
    user,
    community: { id: place.id, name: place.name },
    // A secretary above the community holds a role above it, so belongs too.
    belongs: secretary || mine.some((c) => c.id === communityId),
    secretary,
  };
}

export const notInCommunity = (request: FastifyRequest) =>
  new AppError(
    403,
    'forbidden',
    say(request, '您不属于这个社区。', 'You do not belong to this community.'),
  );

export function requireBelongs(request: FastifyRequest, access: { belongs: boolean }): void {
  if (!access.belongs) throw notInCommunity(request);
}

export function requireSecretary(request: FastifyRequest, access: { secretary: boolean }): void {
  if (!access.secretary)
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
