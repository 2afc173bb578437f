import { attachPhotos, lockPhotos, type DbOrTx } from '@tongxin/db';
import { AppError, refuse } from '../http/app-error.ts';

/**
 * Attaches the caller's own, still unattached photos to the topic or update being posted,
 * inside that post's transaction: a refusal here leaves no topic or update behind.
 */
export async function attachOwnPhotos(
  tx: DbOrTx,
  userId: string,
  photoIds: string[] | undefined,
  to: { topicId: string } | { actionUpdateId: string },
): Promise<void> {
  if (!photoIds?.length) return;
  const photos = await lockPhotos(tx, photoIds);
  // Unused photos are removed after a day.
  if (photos.length !== photoIds.length) throw refuse('photo_missing', {}, 'photoIds');
  if (photos.some((p) => p.uploadedBy !== userId)) throw refuse('photo_not_yours', {}, 'photoIds');
  if (photos.some((p) => p.topicId !== null || p.actionUpdateId !== null))
    throw refuse('photo_already_attached', {}, 'photoIds');
  // Locked above, so nothing attached them meanwhile; the count is a last guard all the same.
  if ((await attachPhotos(tx, photoIds, to)) !== photoIds.length)
    throw new AppError(409, 'conflict');
}
