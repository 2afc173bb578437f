import type { FastifyRequest } from 'fastify';
import type { PhotoType } from '@tongxin/shared/roundtables/photos';
import type { User } from '@tongxin/db/database';
import { insertPhoto, pruneUnattachedPhotos } from '@tongxin/db/photos/photos.queries';
import { refuse } from '../http/app-error.ts';
import { defineCommand } from '../http/command.ts';
import { requireUser } from '../http/request-context.ts';
import { photoSize, sniffPhotoType, stripMetadata } from './photo-bytes.ts';

const DAY_MS = 86_400_000;
/** Uploaded but not yet posted with a topic or update: enough for a few forms at once. */
export const MAX_UNATTACHED = 20;
const TYPE_NAMES: Record<PhotoType, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
};

/** The body's media type as sent (no parameters). */
export const mediaTypeOf = (request: FastifyRequest) =>
  (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

interface Upload {
  user: User;
  /** The image without its metadata, of the type its bytes say. */
  bytes: Uint8Array;
  type: PhotoType;
  size: { width: number; height: number } | null;
}

/**
 * A photo uploaded on its own, as the raw image, to be attached by the topic or update that
 * carries it. Not about one roundtable: the post it goes with decides who sees it.
 */
export const uploadPhoto = defineCommand<{ body: unknown }, Upload, void, string>({
  load(_app, request, { body }) {
    const user = requireUser(request);
    // JSON still reaches here (the API's own parser): a photo is sent as the image itself.
    if (!(body instanceof Uint8Array)) throw refuse('photo_not_a_file');
    if (body.length === 0) throw refuse('photo_empty');
    const declared = mediaTypeOf(request) as PhotoType;
    const actual = sniffPhotoType(body);
    if (actual !== declared) throw refuse('photo_type_mismatch', { type: TYPE_NAMES[declared] });
    // Where the photo was taken (EXIF GPS) is nobody else's business.
    const bytes = stripMetadata(body, actual);
    return Promise.resolve({ user, bytes, type: actual, size: photoSize(bytes, actual) });
  },
  authorise({ user }) {
    if (user.kind === 'guest') throw refuse('guest_no_photos');
  },
  // The uploader's own photos only: no shared row to lock.
  lock: async () => {},
  async run(tx, { user, bytes, type, size }) {
    const waiting = await pruneUnattachedPhotos(tx, user.id, new Date(Date.now() - DAY_MS));
    if (waiting >= MAX_UNATTACHED) throw refuse('too_many_unused_photos', { max: MAX_UNATTACHED });
    return insertPhoto(tx, {
      uploadedBy: user.id,
      contentType: type,
      bytes,
      width: size?.width ?? null,
      height: size?.height ?? null,
    });
  },
  audit: {
    action: 'photo.upload',
    entry: ({ user, bytes, type }, _input, id) => ({
      actorId: user.id,
      targetType: 'photo',
      targetId: id,
      details: { contentType: type, bytes: bytes.length },
    }),
  },
});
