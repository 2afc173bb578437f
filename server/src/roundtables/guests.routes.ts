import { randomBytes } from 'node:crypto';
import { Type } from 'typebox';
import { EmptyBody, MeView } from '@tongxin/shared';
import {
  GuestJoinBody,
  GuestLinkCreated,
  GuestLinkStatus,
  GuestSpeakBody,
  guestLinkPath,
  MAX_GUESTS_PER_ROUNDTABLE,
} from '@tongxin/shared/roundtable/guests.schemas';
import { Ok } from '@tongxin/shared/roundtable/meeting.schemas';
import {
  countGuests,
  deleteGuestLink,
  findGuest,
  guestLinkMatches,
  guestLinkOf,
  insertUser,
  lockRoundtable,
  lowerHand,
  putGuestLink,
  setGuestMaySpeak,
  writeAudit,
} from '@tongxin/db';
import { loadMeView } from '../auth/me-view.ts';
import { hashToken } from '../auth/session-adapter.ts';
import { AppError } from '../http/app-error.ts';
import { errors } from '../http/error-responses.ts';
import { requestLocale, say } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import type { RoundtableLive } from './live.ts';
import { loadActor, runCommand } from './load.ts';

const tags = ['roundtables'];
const Uuid = Type.String({ format: 'uuid' });
const IdParams = Type.Object({ id: Uuid });
const GuestParams = Type.Object({ id: Uuid, userId: Uuid });
const refusals = errors(400, 401, 403, 404, 409);

/**
 * A password hash no password matches: argon2 cannot parse it, so verifying always fails.
 * Login also refuses guest accounts outright; this is the second lock on the same door.
 */
const NO_PASSWORD = '!';

/**
 * 访客: the chair makes a link (only its hash is kept), anyone holding it joins with a display
 * name as a guest of this one roundtable, watches, and raises a hand once the chair lets them.
 */
export async function guestRoutes(app: App, live: RoundtableLive) {
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
      const actor = await loadActor(app.db, request, request.params.id);
      const token = randomBytes(24).toString('base64url');
      const made = await runCommand(app, live, request, actor, 'configure', async (tx, locked) => {
        const row = await putGuestLink(tx, {
          roundtableId: locked.id,
          tokenHash: hashToken(token),
          createdBy: actor.user.id,
        });
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'roundtable.guest_link',
          targetType: 'roundtable',
          targetId: locked.id,
        });
        return row;
      });
      return reply.status(201).send({
        path: guestLinkPath(actor.roundtable.id, token),
        createdAt: made.createdAt.toISOString(),
      });
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
      const actor = await loadActor(app.db, request, request.params.id);
      await runCommand(app, live, request, actor, 'configure', async (tx, locked) => {
        if (!(await deleteGuestLink(tx, locked.id))) return;
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: 'roundtable.guest_link_revoke',
          targetType: 'roundtable',
          targetId: locked.id,
        });
      });
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
      const actor = await loadActor(app.db, request, request.params.id);
      const { userId } = request.params;
      const { allowed } = request.body;
      await runCommand(app, live, request, actor, 'configure', async (tx, locked) => {
        if (!(await setGuestMaySpeak(tx, locked.id, userId, allowed)))
          throw new AppError(
            404,
            'not_found',
            say(request, '这位不是本次会议的访客。', 'That person is not a guest of this meeting.'),
          );
        // Taking it back means now: a raised hand is lowered and a turn in progress ends.
        if (!allowed) await lowerHand(tx, locked.id, userId);
        await writeAudit(tx, {
          actorId: actor.user.id,
          action: allowed ? 'roundtable.guest_allow_speak' : 'roundtable.guest_revoke_speak',
          targetType: 'roundtable',
          targetId: locked.id,
          details: { userId },
        });
      });
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
      const roundtableId = request.params.id;
      const displayName = request.body.displayName.trim();
      const signedIn = request.user;
      if (
        signedIn &&
        (signedIn.kind !== 'guest' || (await findGuest(app.db, roundtableId, signedIn.id)))
      )
        throw new AppError(
          409,
          'conflict',
          say(
            request,
            '您已经登录了，直接打开会议页面即可参加，无需访客链接。',
            'You are already signed in: just open the meeting, no guest link needed.',
          ),
        );
      if (!displayName)
        throw new AppError(
          400,
          'validation_failed',
          say(request, '请填写您的称呼。', 'Enter the name to show.'),
          'displayName',
        );
      const guest = await app.db.transaction().execute(async (tx) => {
        // The row lock orders a join after a rotation or revocation that came first.
        const locked = await lockRoundtable(tx, roundtableId);
        // An unknown table and a wrong token look the same: the link is the only way in.
        if (!locked || !(await guestLinkMatches(tx, locked.id, hashToken(request.body.token))))
          throw new AppError(
            403,
            'forbidden',
            say(
              request,
              '这个访客链接无效或已被收回，请向会议主持人要一个新的链接。',
              'This guest link is not valid or was withdrawn. Ask the chair for a new one.',
            ),
          );
        if (locked.stage === 'closed')
          throw new AppError(
            409,
            'illegal_state',
            say(
              request,
              '这次会议已经结束，不再接待访客。可以查看公示的会议结果。',
              'This meeting has ended and takes no more guests; its published result is open to all.',
            ),
          );
        // Counted under the row lock, so joins at the same moment cannot pass the cap together.
        if ((await countGuests(tx, locked.id)) >= MAX_GUESTS_PER_ROUNDTABLE)
          throw new AppError(
            409,
            'conflict',
            say(
              request,
              `这次会议的访客名额（${MAX_GUESTS_PER_ROUNDTABLE} 位）已满，请联系会议主持人。`,
              `This meeting already has ${MAX_GUESTS_PER_ROUNDTABLE} guests, its limit. Ask the chair.`,
            ),
          );
        const user = await insertUser(tx, {
          username: `guest-${randomBytes(12).toString('hex')}`,
          displayName,
          phone: null,
          passwordHash: NO_PASSWORD,
          locale: requestLocale(request),
          kind: 'guest',
        });
        await tx
          .insertInto('roundtableGuests')
          .values({ roundtableId: locked.id, userId: user.id })
          .execute();
        await writeAudit(tx, {
          actorId: user.id,
          action: 'roundtable.guest_join',
          targetType: 'roundtable',
          targetId: locked.id,
          details: { displayName },
        });
        return user;
      });
      // A guest of another meeting becomes this one's guest: the old session ends here.
      if (request.sessionToken) {
        await app.sessions.invalidate(request.sessionToken);
        app.live.closeSession(request.sessionToken);
      }
      const cookie = await app.sessions.create(guest.id);
      reply.setCookie(cookie.name, cookie.value, cookie.attributes);
      await live.publish(roundtableId);
      return reply.status(201).send(await loadMeView(app.db, guest));
    },
  );
}
