import { Type } from 'typebox';
import type { FastifyError } from 'fastify';
import { Created } from '@tongxin/shared/roundtables/floor.schemas';
import { PHOTO_MAX_BYTES, PHOTO_TYPES, isPhotoType } from '@tongxin/shared/roundtables/photos';
import { photoBytes, photoPlace } from '@tongxin/db/photos/photos.queries';
import { findRoundtable } from '@tongxin/db/roundtables/roundtables.queries';
import { AppError, refuse } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { loadActor } from './load.ts';
import { mediaTypeOf, uploadPhoto } from './photos.commands.ts';
import { topicVisible } from './views.ts';
import { IdParams } from '../http/params.ts';

const tags = ['roundtables'];

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
      throw refuse('photo_too_large', { mb: PHOTO_MAX_BYTES / 1024 / 1024 });
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') throw refuse('photo_type_unsupported');
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
      const id = await uploadPhoto(app, request, { body: request.body });
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
      if (photo.ofProblem || photo.ofClaim) {
        // 随手拍 photos are as public as the report, a delivery's as the claims board: anyone
        // signed in.
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
