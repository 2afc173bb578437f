// What the room pages read again from the API when the live room changes. A module of its own,
// without runes, so the meeting benchmark's phones follow exactly the same rules as the page.
import type { RoomState, RoomView } from '@tongxin/shared/roundtables/floor.schemas';

/**
 * What the API's topic list (`GET /api/roundtables/:id`, `view.topics`) shows that the room can
 * see change: the stage, topics raised and co-signed, the agenda as screened. Nothing about
 * who is present, the queue or a tally, so those never make a page read it again.
 */
export function topicsKey(room: RoomState): string {
  return JSON.stringify([
    room.stage,
    room.raised.map((t) => [t.id, t.cosigns]),
    room.agenda.map((t) => [t.id, t.position, t.deferred, t.resolution, t.proposals.length]),
  ]);
}

/**
 * What `GET /api/roundtables/:id/me` answers that can change without my doing it here: whether
 * I may write the minutes (stage, open minutes, amendment, frozen), the items (one may now be
 * mine), my check-in, my hand (the chair giving me the floor lowers it) and, for a guest, leave
 * to speak. Not a new vote: I have no ballot in it until I cast one, and casting reads `me`
 * again. Other people arriving, voting or queueing change none of it.
 */
export function myKey(room: RoomView, myId: string | null): string {
  return JSON.stringify([
    room.stage,
    room.openMinutes,
    room.minutes.frozen,
    room.minutes.amendUntil,
    room.items.map((i) => [i.id, i.ownerKind, i.owner, i.round]),
    room.people.some((p) => p.userId !== null && p.userId === myId),
    room.queue.some((q) => q.userId === myId),
    room.guests.find((g) => g.userId === myId)?.maySpeak ?? null,
  ]);
}
