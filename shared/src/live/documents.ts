/**
 * Every live document's name, in one place: the server registers each family by its prefix
 * (`registerProjection({ prefix: roomDoc.prefix })`, `registerDocument({ pattern:
 * minutesDoc.pattern })`) and pages open one by its key (`new LiveDoc(roomDoc(id))`).
 */
export interface DocumentFamily {
  (key: string): string;
  /** What every name of the family starts with, before the `:`. */
  readonly prefix: string;
  /** The registry's pattern for the whole family: `<prefix>:*`. */
  readonly pattern: string;
}

function family(prefix: string): DocumentFamily {
  return Object.assign((key: string) => `${prefix}:${key}`, { prefix, pattern: `${prefix}:*` });
}

/**
 * A roundtable's room, server-owned: map `room` (RoomState) and map `present` (attendance id
 * → RoomPerson), so a check-in writes one entry rather than resending the whole list.
 */
export const roomDoc = family('roundtable');
/** A roundtable's minutes, written together: one Y.Text per agenda topic (`minutesTextKey`). */
export const minutesDoc = family('roundtable-minutes');
/** A person's bell (key: their user id), server-owned: map `inbox`, key `data`. */
export const inboxDoc = family('inbox');
/** A community's sign-up board (key: the community id), server-owned: map `activities`. */
export const teamsBoardDoc = family('teams-board');
/** A community's 公示 of the double report (key: the community id): map `board`, key `data`. */
export const claimsBoardDoc = family('claims-board');
/** A community's 随手拍 list (key: the community id), public to everyone signed in: map `list`, key `data`. */
export const problemsDoc = family('problems');
