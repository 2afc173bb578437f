import type {
  RoomDocument,
  RoomItem,
  RoomPresent,
  RoomState,
  RoomVote,
} from '@tongxin/shared/roundtables/floor.schemas';
import { tallyOf, voteOptions } from '@tongxin/shared/roundtables/votes';
import type { DbOrTx } from '@tongxin/db/create-db';
import { photoIdsOf } from '@tongxin/db/photos/photos.queries';
import { guestsOf } from '@tongxin/db/roundtables/guests.queries';
import {
  actionItemsOf,
  agendaOf,
  attendanceOf,
  ballotCounts,
  handCounts,
  itemUpdatesOf,
  liveTurnsOf,
  proposalsOf,
  raisedTopicsOf,
  shownVote,
} from '@tongxin/db/roundtables/room.queries';
import { findRoundtable } from '@tongxin/db/roundtables/roundtables.queries';
import { handoffsOf } from '@tongxin/db/roundtables/handoff.queries';

/**
 * The room lists at most this many names (the first to check in); the counts are always
 * whole. Each name is its own entry, so the cap bounds what a joining phone downloads.
 */
const PEOPLE_SHOWN = 500;

async function projectVote(
  db: DbOrTx,
  roundtableId: string,
  currentTopicId: string | null,
  proposals: { id: string; topicId: string; text: string }[],
): Promise<RoomVote | null> {
  const vote = await shownVote(db, roundtableId, currentTopicId);
  if (!vote) return null;
  const options = voteOptions(
    vote.kind,
    proposals.filter((p) => p.topicId === vote.topicId),
  );
  const [ballots, hands] = await Promise.all([ballotCounts(db, vote.id), handCounts(db, vote.id)]);
  const { tally, counted, hands: handTotal } = tallyOf(options, ballots, hands);
  const open = vote.status === 'open';
  return {
    id: vote.id,
    topicId: vote.topicId,
    question: vote.question,
    kind: vote.kind,
    options,
    open,
    hidden: open && vote.hiddenTally,
    counted,
    tally: open && vote.hiddenTally ? null : tally,
    hands: handTotal,
  };
}

/**
 * The room as everyone sees it, read from the database: the live document is only a copy.
 * Who checked in is its own map, one entry per person, so an arrival rewrites one entry and
 * the counts, never the list (issue 19).
 */
export async function projectRoom(db: DbOrTx, roundtableId: string): Promise<RoomDocument | null> {
  const row = await findRoundtable(db, roundtableId);
  if (!row) return null;
  const [agenda, people, turns, items, guests, raised] = await Promise.all([
    agendaOf(db, row.id),
    attendanceOf(db, row.id),
    liveTurnsOf(db, row.id),
    actionItemsOf(db, row.id),
    guestsOf(db, row.id),
    raisedTopicsOf(db, row.id),
  ]);
  const proposals = await proposalsOf(
    db,
    agenda.map((t) => t.id),
  );
  const updates = await itemUpdatesOf(
    db,
    items.map((i) => i.id),
  );
  // Only each item's latest update is shown, so only its photos are looked up.
  const lastUpdates = items.flatMap((i) => updates.find((u) => u.itemId === i.id) ?? []);
  const [topicPhotos, updatePhotos, handoffs] = await Promise.all([
    photoIdsOf(
      db,
      'topicId',
      agenda.map((t) => t.id),
    ),
    photoIdsOf(
      db,
      'actionUpdateId',
      lastUpdates.map((u) => u.id),
    ),
    handoffsOf(
      db,
      items.map((i) => i.id),
    ),
  ]);
  const speaker = turns.find((t) => t.status === 'speaking');
  // Guests by link may check in, but the quorum is the residents' and invited units'.
  const counted = people.filter((p) => p.part !== 'guest');
  const count = (how: string) => counted.filter((p) => p.how === how).length;
  const present: RoomPresent = {};
  for (const p of people.slice(0, PEOPLE_SHOWN))
    present[p.id] = {
      userId: p.userId,
      name: p.name,
      part: p.part,
      how: p.how,
      at: p.createdAt.toISOString(),
    };
  const room: RoomState = {
    stage: row.stage,
    stageChangedAt: row.stageChangedAt.toISOString(),
    title: row.title,
    localName: row.localName,
    location: row.location,
    quorum: row.quorum,
    chair: { id: row.chairId, name: row.chairName },
    agenda: agenda.map((t) => ({
      id: t.id,
      title: t.title,
      category: t.category,
      position: t.agendaPosition ?? 0,
      raisedBy: t.raiserName,
      cosigns: t.cosignCount,
      deferred: t.deferred,
      resolution: t.resolution,
      proposals: proposals
        .filter((p) => p.topicId === t.id)
        .map((p) => ({ id: p.id, text: p.text, by: p.by })),
      photoIds: topicPhotos.get(t.id) ?? [],
    })),
    currentTopicId: row.currentTopicId,
    present: {
      count: counted.length,
      inPerson: count('qr') + count('hand'),
      online: count('app'),
      byHand: count('hand'),
      guests: people.length - counted.length,
    },
    raised: raised.map((t) => ({
      id: t.id,
      title: t.title,
      category: t.category,
      raisedBy: t.raiserName,
      cosigns: t.cosignCount,
      raisedAt: t.createdAt.toISOString(),
      duringDiscuss: row.stage === 'discuss' && t.createdAt >= row.stageChangedAt,
    })),
    guests: guests.slice(0, PEOPLE_SHOWN),
    queue: turns
      .filter((t) => t.status === 'waiting')
      .map((t) => ({ userId: t.userId, name: t.name })),
    speaker: speaker
      ? { userId: speaker.userId, name: speaker.name, since: speaker.startedAt!.toISOString() }
      : null,
    timerSeconds: row.timerSeconds,
    openMinutes: row.openMinutes,
    vote: await projectVote(db, row.id, row.currentTopicId, proposals),
    items: items.map((i): RoomItem => {
      const last = updates.find((u) => u.itemId === i.id);
      return {
        id: i.id,
        topicId: i.topicId,
        title: i.title,
        owner: i.owner,
        ownerKind: i.ownerKind,
        deadline: i.deadline,
        status: i.status,
        blockedReason: i.blockedReason,
        round: i.round,
        ratings: {
          satisfied: Number(i.satisfied ?? 0),
          basically_satisfied: Number(i.basicallySatisfied ?? 0),
          dissatisfied: Number(i.dissatisfied ?? 0),
        },
        lastUpdate: last
          ? {
              note: last.note,
              at: last.createdAt.toISOString(),
              by: last.by,
              photoIds: updatePhotos.get(last.id) ?? [],
            }
          : null,
        handoff: handoffs.get(i.id) ?? null,
      };
    }),
    minutes: {
      amendUntil: row.minutesAmendUntil?.toISOString() ?? null,
      frozen: row.minutesFrozenAt !== null,
    },
  };
  return { room, present };
}
