import type { DbOrTx } from '@tongxin/db/create-db';
import { attachPhotos, lockPhotos } from '@tongxin/db/photos/photos.queries';
import { AppError, refuse } from '../http/app-error.ts';

export type PhotoOwner =
  | { topicId: string }
  | { actionUpdateId: string }
  | { problemId: string }
  | { problemEventId: string }
  | { claimId: string };

/**
 * Attaches the caller's own, still unattached photos to what is being posted, inside that
 * post's transaction: a refusal here leaves nothing behind.
 */
export async function attachOwnPhotos(
  tx: DbOrTx,
  userId: string,
  photoIds: readonly string[] | undefined,
  to: PhotoOwner,
): Promise<void> {
  if (!photoIds?.length) return;
  const ids = [...photoIds];
  const photos = await lockPhotos(tx, ids);
  // Unused photos are removed after a day.
  if (photos.length !== ids.length) throw refuse('photo_missing', {}, 'photoIds');
  if (photos.some((p) => p.uploadedBy !== userId)) throw refuse('photo_not_yours', {}, 'photoIds');
  if (photos.some((p) => p.position !== null))
    throw refuse('photo_already_attached', {}, 'photoIds');
  // Locked above, so nothing attached them meanwhile; the count is a last guard all the same.
  if ((await attachPhotos(tx, ids, to)) !== ids.length) throw new AppError(409, 'conflict');
}
