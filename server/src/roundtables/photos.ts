import type { FastifyRequest } from 'fastify';
import { attachPhotos, lockPhotos, type DbOrTx } from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { say } from '../http/request-context.ts';

/**
 * Attaches the caller's own, still unattached photos to the topic or update being posted,
 * inside that post's transaction: a refusal here leaves no topic or update behind.
 */
export async function attachOwnPhotos(
  tx: DbOrTx,
  request: FastifyRequest,
  userId: string,
  photoIds: string[] | undefined,
  to: { topicId: string } | { actionUpdateId: string },
): Promise<void> {
  if (!photoIds?.length) return;
  const photos = await lockPhotos(tx, photoIds);
  if (photos.length !== photoIds.length)
    throw new AppError(
      400,
      'validation_failed',
      say(
        request,
        '有照片找不到了（未使用的照片一天后会被清除），请重新选择照片。',
        'A photo could not be found (unused photos are removed after a day); choose the photos again.',
      ),
      'photoIds',
    );
  if (photos.some((p) => p.uploadedBy !== userId))
    throw new AppError(
      403,
      'forbidden',
      say(
        request,
        '只能附上您自己上传的照片。',
        'You can only attach photos you uploaded yourself.',
      ),
      'photoIds',
    );
  if (photos.some((p) => p.topicId !== null || p.actionUpdateId !== null))
    throw new AppError(
      409,
      'conflict',
      say(
        request,
        '有照片已经附在别的议题或进展上了，请重新上传这张照片。',
        'A photo is already attached to another topic or update; upload it again.',
      ),
      'photoIds',
    );
  // Locked above, so nothing attached them meanwhile; the count is a last guard all the same.
  if ((await attachPhotos(tx, photoIds, to)) !== photoIds.length)
    throw new AppError(409, 'conflict');
}
