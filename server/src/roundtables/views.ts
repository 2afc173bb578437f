import type { RoundtableView, TopicView } from '@tongxin/shared/roundtables/roundtable.schemas';
import type { Part } from '@tongxin/shared/roundtables/stages';
import type { DbOrTx } from '@tongxin/db/create-db';
import type { User } from '@tongxin/db/database';
import { photoIdsOf } from '@tongxin/db/photos/photos.queries';
import { listTopics, type RoundtableRow } from '@tongxin/db/roundtables/roundtables.queries';
import { invitedUnitsOf } from '@tongxin/db/roundtables/views.queries';

type TopicRow = Awaited<ReturnType<typeof listTopics>>[number];

/**
 * Who sees which topic: the agenda is public; a topic still being screened, or declined,
 * is seen by its raiser and the chair — a declined raiser sees the reason.
 */
export function topicVisible(
  topic: Pick<TopicRow, 'status' | 'raisedBy'>,
  viewer: Pick<User, 'id'>,
  part: Part,
): boolean {
  if (part === 'chair' || topic.raisedBy === viewer.id) return true;
  if (topic.status === 'declined') return false;
  return part !== 'observer' || topic.status === 'accepted';
}

function toTopicView(t: TopicRow, photoIds: string[]): TopicView {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    category: t.category,
    location: t.location,
    status: t.status,
    raisedBy: { id: t.raisedBy, name: t.raiserName },
    cosignCount: t.cosignCount,
    cosignedByMe: Boolean(t.cosignedByMe),
    agendaPosition: t.agendaPosition,
    mergedInto: t.mergedInto,
    declineReason: t.declineReason,
    createdAt: t.createdAt.toISOString(),
    photoIds,
    fromProblemId: t.fromProblemId ?? null,
  };
}

export async function loadRoundtableView(
  db: DbOrTx,
  row: RoundtableRow,
  viewer: User,
  part: Part,
): Promise<RoundtableView> {
  const topics = (await listTopics(db, row.id, viewer.id)).filter((t) =>
    topicVisible(t, viewer, part),
  );
  const [photos, invitedUnits] = await Promise.all([
    photoIdsOf(
      db,
      'topicId',
      topics.map((t) => t.id),
    ),
    invitedUnitsOf(db, row.id),
  ]);
  return {
    id: row.id,
    title: row.title,
    localName: row.localName,
    location: row.location,
    startsAt: row.startsAt.toISOString(),
    stage: row.stage,
    quorum: row.quorum,
    place: { id: row.placeId, name: row.placeName },
    chair: { id: row.chairId, name: row.chairName },
    invitedUnits,
    myPart: part,
    topics: topics.map((t) => toTopicView(t, photos.get(t.id) ?? [])),
  };
}
