import { Type } from 'typebox';
import { EmptyBody, MeView } from '@tongxin/shared/auth.schemas';
import {
  GuestJoinBody,
  GuestLinkCreated,
  GuestLinkStatus,
  GuestSpeakBody,
} from '@tongxin/shared/roundtables/guests.schemas';
import { Ok } from '@tongxin/shared/roundtables/floor.schemas';
import { guestLinkOf } from '@tongxin/db/roundtables/guests.queries';
import { loadMeView } from '../auth/me-view.ts';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import type { App } from '../http/types.ts';
import { loadActor } from './load.ts';
import {
  joinAsGuest,
  letGuestSpeak,
  makeGuestLink,
  revokeGuestLink,
  stopGuestSpeaking,
} from './guests.commands.ts';

const tags = ['roundtables'];
const Uuid = Type.String({ format: 'uuid' });
const IdParams = Type.Object({ id: Uuid });
const GuestParams = Type.Object({ id: Uuid, userId: Uuid });
const refusals = errors(400, 401, 403, 404, 409);

/**
 * 访客: the chair makes a link (only its hash is kept), anyone holding it joins with a display
 * name as a guest of this one roundtable, watches, and raises a hand once the chair lets them.
 */
export async function guestRoutes(app: App) {
  app.get(
    '/roundtables/:id/guest-link',
    {
      schema: { tags, params: IdParams, response: { 200: GuestLinkStatus, ...refusals } },
    },
    async (request) => {
      const actor = await loadActor(app.db, request, request.params.id);
      if (actor.part !== 'chair') throw new AppError(403, 'forbidden');
      const link = await guestLinkOf(app.db, actor.roundtable.id);
      return { active: link !== undefined, createdAt: link?.createdAt.toISOString() ?? null };
    },
  );

  app.post(
    '/roundtables/:id/guest-link',
    {
      schema: {
        tags,
        description: 'Makes the guest link, or a new one: the previous link stops working.',
        params: IdParams,
        body: EmptyBody,
        response: { 201: GuestLinkCreated, ...refusals },
      },
    },
    async (request, reply) => {
      const made = await makeGuestLink(app, request, { roundtableId: request.params.id });
      return reply.status(201).send({ path: made.path, createdAt: made.createdAt.toISOString() });
    },
  );

  app.delete(
    '/roundtables/:id/guest-link',
    {
      schema: {
        tags,
        description: 'Revokes the guest link. Guests already in keep their place.',
        params: IdParams,
        body: EmptyBody,
        response: { 200: Ok, ...refusals },
      },
    },
    async (request) => {
      await revokeGuestLink(app, request, { roundtableId: request.params.id });
      return { ok: true as const };
    },
  );

  app.post(
    '/roundtables/:id/guests/:userId/speak',
    {
      schema: {
        tags,
        params: GuestParams,
        body: GuestSpeakBody,
        response: { 200: Ok, ...refusals },
      },
    },
    async (request) => {
      const speak = request.body.allowed ? letGuestSpeak : stopGuestSpeaking;
      await speak(app, request, { roundtableId: request.params.id, userId: request.params.userId });
      return { ok: true as const };
    },
  );

  app.post(
    '/roundtables/:id/guests',
    {
      schema: {
        tags,
        description:
          'Public: joins as a guest with the token from the chair’s link and a display name; ' +
          'answers with the new guest account and its session cookie.',
        params: IdParams,
        body: GuestJoinBody,
        response: { 201: MeView, ...errors(400, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const guest = await joinAsGuest(app, request, {
        roundtableId: request.params.id,
        body: request.body,
      });
      // A guest of another meeting becomes this one's guest: the old session ends here.
      if (request.sessionToken) {
        await app.sessions.invalidate(request.sessionToken);
        app.live.closeSession(request.sessionToken);
      }
      const cookie = await app.sessions.create(guest.id);
      reply.setCookie(cookie.name, cookie.value, cookie.attributes);
      return reply.status(201).send(await loadMeView(app.db, guest));
    },
  );
}
