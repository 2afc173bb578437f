import { Type, type Static } from 'typebox';

const strict = { additionalProperties: false } as const;

/** The token from the chair's guest link, and the name the guest wants to be shown by. */
/**
 * Guests one roundtable admits: a lawyer, an expert, a reporter, never a crowd. A leaked link
 * can then fill one meeting's list, not the database.
 */
export const MAX_GUESTS_PER_ROUNDTABLE = 100;

export const GuestJoinBody = Type.Object(
  {
    token: Type.String({ minLength: 16, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }),
    displayName: Type.String({ minLength: 1, maxLength: 40 }),
  },
  strict,
);
export type GuestJoinBody = Static<typeof GuestJoinBody>;

/** The chair lets a guest speak, or takes it back (which also lowers their hand). */
export const GuestSpeakBody = Type.Object({ allowed: Type.Boolean() }, strict);
export type GuestSpeakBody = Static<typeof GuestSpeakBody>;

/** The link as made: shown once, since only a hash of its token is kept. */
export const GuestLinkCreated = Type.Object({
  path: Type.String({ description: '/roundtables/<id>/guest?token=…' }),
  createdAt: Type.String(),
});
export type GuestLinkCreated = Static<typeof GuestLinkCreated>;

export const GuestLinkStatus = Type.Object({
  active: Type.Boolean(),
  createdAt: Type.Union([Type.String(), Type.Null()]),
});
export type GuestLinkStatus = Static<typeof GuestLinkStatus>;

/** The room's path for a guest link with this token. */
export const guestLinkPath = (roundtableId: string, token: string) =>
  `/roundtables/${roundtableId}/guest?token=${encodeURIComponent(token)}`;
