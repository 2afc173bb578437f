import type { FastifyRequest } from 'fastify';
import type { DbOrTx } from '@tongxin/db/create-db';
import type { User } from '@tongxin/db/database';
import { communitiesOfUser } from '@tongxin/db/double-report/claims.queries';
import { findPlace } from '@tongxin/db/places/places.queries';
import { holdsRoleOver } from '@tongxin/db/users/roles.queries';
import { AppError, refuse } from '../http/app-error.ts';

/**
 * What a person is to one community, the rule every community feature (teams, the double
 * report) starts from:
 * - `belongs`: a role in the community, under it (a compound, a building, a grid) or above it
 *   (the sub-district, the district organiser) — may see its teams, lists and boards;
 * - `secretary`: its party secretary, or a secretary of a place above it — may manage: review,
 *   confirm, publish, keep any team's activities. The district organiser sees every community's
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

export const notInCommunity = (_request?: FastifyRequest) => refuse('not_in_community');

export function requireBelongs(_request: FastifyRequest, access: { belongs: boolean }): void {
  if (!access.belongs) throw refuse('not_in_community');
}

export function requireSecretary(_request: FastifyRequest, access: { secretary: boolean }): void {
  if (!access.secretary) throw refuse('secretary_only');
}
