import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import {
  guestLinkPath,
  MAX_GUESTS_PER_ROUNDTABLE,
  type GuestJoinBody,
} from '@tongxin/shared/roundtables/guests.schemas';
import type { User } from '@tongxin/db/database';
import { lowerHand } from '@tongxin/db/roundtables/room.queries';
import { lockRoundtable } from '@tongxin/db/roundtables/roundtables.queries';
import { insertUser } from '@tongxin/db/users/users.queries';
import {
  countGuests,
  deleteGuestLink,
  findGuest,
  guestLinkMatches,
  insertGuest,
  putGuestLink,
  setGuestMaySpeak,
} from '@tongxin/db/roundtables/guests.queries';
import { hashToken } from '../auth/session-adapter.ts';
import { refuse } from '../http/app-error.ts';
import { defineCommand } from '../http/command.ts';
import { requestLocale } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { roundtableCommand } from './command.ts';

interface OnRoundtable {
  roundtableId: string;
}
type SpeakInput = OnRoundtable & { userId: string };

const onRoundtable = async <I extends OnRoundtable>(
  _app: App,
  _request: FastifyRequest,
  input: I,
) => ({ roundtableId: input.roundtableId });

/**
 * A password hash no password matches: argon2 cannot parse it, so verifying always fails.
 * Login also refuses guest accounts outright; this is the second lock on the same door.
 */
const NO_PASSWORD = '!';

/** The chair makes the guest link, or a new one: the previous link stops working. */
export const makeGuestLink = roundtableCommand({
  action: 'configure',
  target: onRoundtable<OnRoundtable>,
  async run(tx, { actor }, locked) {
    // Only its hash is kept: the link is shown once, to the chair.
    const token = randomBytes(24).toString('base64url');
    const row = await putGuestLink(tx, {
      roundtableId: locked.id,
      tokenHash: hashToken(token),
      createdBy: actor.user.id,
    });
    return { path: guestLinkPath(locked.id, token), createdAt: row.createdAt };
  },
  // The token is not written down: the entry says that a link was made, and by whom.
  audit: {
    action: 'roundtable.guest_link',
    entry: ({ actor }) => ({
      actorId: actor.user.id,
      targetType: 'roundtable',
      targetId: actor.roundtable.id,
    }),
  },
});

/** The chair revokes the guest link. Guests already in keep their place. */
export const revokeGuestLink = roundtableCommand({
  action: 'configure',
  target: onRoundtable<OnRoundtable>,
  run: (tx, _ctx, locked) => deleteGuestLink(tx, locked.id),
  audit: {
    action: 'roundtable.guest_link_revoke',
    entry: ({ actor }, _input, hadLink) => ({
      actorId: actor.user.id,
      targetType: 'roundtable',
      targetId: actor.roundtable.id,
      details: { hadLink },
    }),
  },
});

function guestSpeak(allowed: boolean) {
  return roundtableCommand({
    action: 'configure',
    target: onRoundtable<SpeakInput>,
    async run(tx, _ctx, locked, { userId }) {
      if (!(await setGuestMaySpeak(tx, locked.id, userId, allowed))) throw refuse('not_a_guest');
      // Taking it back means now: a raised hand is lowered and a turn in progress ends.
      if (!allowed) await lowerHand(tx, locked.id, userId);
    },
    audit: {
      action: allowed ? 'roundtable.guest_allow_speak' : 'roundtable.guest_revoke_speak',
      entry: ({ actor }, { userId }) => ({
        actorId: actor.user.id,
        targetType: 'roundtable',
        targetId: actor.roundtable.id,
        details: { userId },
      }),
    },
  });
}

/** The chair lets a guest raise a hand and speak. */
export const letGuestSpeak = guestSpeak(true);
/** …and takes it back. */
export const stopGuestSpeaking = guestSpeak(false);

interface JoinCtx {
  roundtableId: string;
  displayName: string;
  locale: ReturnType<typeof requestLocale>;
}

/**
 * 访客: anyone holding the chair's link joins with a display name as a guest of this one
 * roundtable. Not a roundtableCommand: the caller is nobody at the table yet, and the link
 * is the only way in, judged under the roundtable's row lock (so a join is ordered after a
 * rotation or revocation that came first, and joins at the same moment meet the cap one by
 * one). Answers with the new guest account; the route gives it its session.
 */
export const joinAsGuest = defineCommand<
  OnRoundtable & { body: GuestJoinBody },
  JoinCtx,
  { id: string; stage: string },
  User
>({
  async load(app, request, { roundtableId, body }) {
    const signedIn = request.user;
    if (
      signedIn &&
      (signedIn.kind !== 'guest' || (await findGuest(app.db, roundtableId, signedIn.id)))
    )
      throw refuse('already_signed_in');
    const displayName = body.displayName.trim();
    if (!displayName) throw refuse('guest_name_missing', {}, 'displayName');
    return { roundtableId, displayName, locale: requestLocale(request) };
  },
  // The link is the authority, and it is judged under the lock.
  authorise: () => {},
  async lock(tx, ctx, { body }) {
    const locked = await lockRoundtable(tx, ctx.roundtableId);
    // An unknown table and a wrong token look the same.
    if (!locked || !(await guestLinkMatches(tx, locked.id, hashToken(body.token))))
      throw refuse('guest_link_invalid');
    return locked;
  },
  async run(tx, ctx, locked) {
    if (locked.stage === 'closed') throw refuse('guest_join_closed');
    if ((await countGuests(tx, locked.id)) >= MAX_GUESTS_PER_ROUNDTABLE)
      throw refuse('guests_full', { max: MAX_GUESTS_PER_ROUNDTABLE });
    const user = await insertUser(tx, {
      username: `guest-${randomBytes(12).toString('hex')}`,
      displayName: ctx.displayName,
      phone: null,
      passwordHash: NO_PASSWORD,
      locale: ctx.locale,
      kind: 'guest',
    });
    await insertGuest(tx, locked.id, user.id);
    return user;
  },
  audit: {
    action: 'roundtable.guest_join',
    entry: (ctx, _input, user) => ({
      actorId: user.id,
      targetType: 'roundtable',
      targetId: ctx.roundtableId,
      details: { displayName: ctx.displayName },
    }),
  },
  async effects(app, ctx) {
    await app.roundtableLive.publish(ctx.roundtableId);
  },
});
