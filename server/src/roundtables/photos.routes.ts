import { Type } from 'typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import { Created } from '@tongxin/shared/roundtable/meeting.schemas';
import {
  PHOTO_MAX_BYTES,
  PHOTO_TYPES,
  isPhotoType,
  type PhotoType,
} from '@tongxin/shared/roundtable/photos';
import {
  findRoundtable,
  insertPhoto,
  photoBytes,
  photoPlace,
  pruneUnattachedPhotos,
  writeAudit,
} from '@tongxin/db';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser, say } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { loadActor } from './load.ts';
import { photoSize, sniffPhotoType, stripMetadata } from './photo-bytes.ts';
import { topicVisible } from './views.ts';
import { IdParams } from '../http/params.ts';

const tags = ['roundtables'];
const DAY_MS = 86_400_000;
/** Uploaded but not yet posted with a topic or update: enough for a few forms at once. */
const MAX_UNATTACHED = 20;
const TYPE_NAMES: Record<PhotoType, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
};

const mediaTypeOf = (request: FastifyRequest) =>
  (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * Photos on topics and progress updates: uploaded one at a time as the raw image, then
 * attached by the post that carries them, and shown to whoever may see that post.
 */
export async function photoRoutes(app: App) {
  // Raw image bodies, in this plugin only: the rest of the API takes JSON within its limit.
  app.addContentTypeParser(
    [...PHOTO_TYPES],
    { parseAs: 'buffer', bodyLimit: PHOTO_MAX_BYTES },
    (_request, body, done) => done(null, body),
  );
  // The parser's refusals, in words about photos; everything else as everywhere.
  app.setErrorHandler((error: FastifyError, request) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' && isPhotoType(mediaTypeOf(request)))
      throw new AppError(
        413,
        'body_too_large',
        say(
          request,
          '照片不能超过 5 MB。请换一张，或先在手机上裁剪、缩小后再上传。',
          'A photo may be at most 5 MB. Choose another, or crop or shrink it on your phone first.',
        ),
      );
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      throw new AppError(
        415,
        'bad_request',
        say(
          request,
          '只能上传 JPEG、PNG 或 WebP 格式的照片（Content-Type: image/jpeg、image/png 或 image/webp）。',
          'Only JPEG, PNG or WebP photos can be uploaded (Content-Type: image/jpeg, image/png or image/webp).',
        ),
      );
    throw error;
  });

  app.post(
    '/photos',
    {
      schema: {
        tags,
        description: 'The raw image as the body; attach the returned id to a topic or update.',
        consumes: [...PHOTO_TYPES],
        response: { 201: Created, ...errors(400, 401, 403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      if (user.kind === 'guest')
        throw new AppError(
          403,
          'forbidden',
          say(request, '访客不能上传照片。', 'Guests cannot upload photos.'),
        );
      const body: unknown = request.body;
      // JSON still reaches here (the API's own parser): a photo is sent as the image itself.
      if (!(body instanceof Uint8Array))
        throw new AppError(
          400,
          'validation_failed',
          say(
            request,
            '请直接上传照片文件（JPEG、PNG 或 WebP），不要用 JSON 提交。',
            'Send the photo file itself (JPEG, PNG or WebP), not JSON.',
          ),
        );
      const declared = mediaTypeOf(request) as PhotoType;
      if (body.length === 0)
        throw new AppError(
          400,
          'bad_request',
          say(request, '没有收到照片内容，请重新选择照片。', 'No photo arrived; choose it again.'),
        );
      const actual = sniffPhotoType(body);
      if (actual !== declared) {
        const name = TYPE_NAMES[declared];
        throw new AppError(
          400,
          'bad_request',
          say(
            request,
            `文件内容不是 ${name} 图片（可能已损坏或是别的格式），请换一张照片重新上传。`,
            `The file is not a ${name} image (it may be damaged or of another kind); upload another photo.`,
          ),
        );
      }
      // Where the photo was taken (EXIF GPS) is nobody else's business.
      const bytes = stripMetadata(body, actual);
      const size = photoSize(bytes, actual);
      const id = await app.db.transaction().execute(async (tx) => {
        const waiting = await pruneUnattachedPhotos(tx, user.id, new Date(Date.now() - DAY_MS));
        if (waiting >= MAX_UNATTACHED)
          throw new AppError(
            409,
            'conflict',
            say(
              request,
              `您已上传了 ${MAX_UNATTACHED} 张还没用上的照片。请先提交议题或进展，或一天后再试。`,
              `You have ${MAX_UNATTACHED} uploaded photos not yet used. Post your topic or update first, or try again in a day.`,
            ),
          );
        const id = await insertPhoto(tx, {
          uploadedBy: user.id,
          contentType: actual,
          bytes,
          width: size?.width ?? null,
          height: size?.height ?? null,
        });
        await writeAudit(tx, {
          actorId: user.id,
          action: 'photo.upload',
          targetType: 'photo',
          targetId: id,
          details: { contentType: actual, bytes: bytes.length },
        });
        return id;
      });
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/photos/:id',
    {
      schema: {
        tags,
        params: IdParams,
        produces: [...PHOTO_TYPES],
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The image' }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const photo = await photoPlace(app.db, request.params.id);
      if (!photo) throw new AppError(404, 'not_found');
      if (photo.ofProblem) {
        // 随手拍 photos are as public as the report: anyone signed in.
      } else if (!photo.roundtableId) {
        // Not yet posted: only its uploader sees it, as a thumbnail in the form.
        if (requireUser(request).id !== photo.uploadedBy) throw new AppError(404, 'not_found');
      } else {
        // An agenda topic of a closed roundtable is in its public result (公示); otherwise the
        // photo is seen by whoever may see the roundtable and, for a topic, that topic.
        const roundtable = await findRoundtable(app.db, photo.roundtableId);
        const published = roundtable?.stage === 'closed' && photo.topicStatus === 'accepted';
        if (!published) {
          const actor = await loadActor(app.db, request, photo.roundtableId);
          const topic =
            photo.topicStatus && photo.topicRaisedBy
              ? { status: photo.topicStatus, raisedBy: photo.topicRaisedBy }
              : null;
          if (topic && !topicVisible(topic, actor.user, actor.part))
            throw new AppError(404, 'not_found');
        }
      }
      const bytes = await photoBytes(app.db, photo.id);
      if (!bytes) throw new AppError(404, 'not_found');
      return reply
        .type(photo.contentType)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );
}
