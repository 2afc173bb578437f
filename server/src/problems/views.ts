import {
  isOverdue,
  problemPartOf,
  problemVerbsFor,
  type ProblemStanding,
} from '@tongxin/shared/problems/problems';
import type { ProblemSummary, ProblemView } from '@tongxin/shared/problems/problems.schemas';
import type {
  ProblemSummaryRow,
  problemDetail,
  problemEventsOf,
} from '@tongxin/db/problems/problems.queries';

import type { DbOrTx } from '@tongxin/db/create-db';
import { handoffsOf } from '@tongxin/db/roundtables/handoff.queries';
import { actionItemsOf, agendaOf } from '@tongxin/db/roundtables/room.queries';
import { topicTitleOf } from '@tongxin/db/problems/raise.queries';

type Detail = NonNullable<Awaited<ReturnType<typeof problemDetail>>>;
type Events = Awaited<ReturnType<typeof problemEventsOf>>;

/** What anyone signed in sees of a report: no names (公示). */
export function toSummary(row: ProblemSummaryRow, now: Date): ProblemSummary {
  return {
    id: row.id,
    communityId: row.communityId,
    category: row.category,
    description: row.description,
    place: row.placeId ? { id: row.placeId, name: row.placeName ?? '' } : null,
    location: row.location,
    status: row.status,
    overdue: isOverdue(row, now),
    escalated: row.escalatedAt !== null,
    followers: Number(row.followers ?? 0),
    photoIds: row.photoIds,
    respondBy: row.respondBy.toISOString(),
    resolveBy: row.resolveBy?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    raised:
      row.topicId && row.raisedToId
        ? { topicId: row.topicId, roundtableId: row.raisedToId, title: row.raisedToTitle ?? '' }
        : null,
  };
}

/**
 * The whole report for one viewer. Names (who reported, who acted) are private details:
 * the handlers and the reporters see them; everyone else sees the roles only.
 */
export function toView(
  row: Detail,
  events: Events,
  standing: ProblemStanding,
  now: Date,
  outcome: ProblemView['outcome'] = null,
  pointsCredited: number | null = null,
): ProblemView {
  const insider = standing.handles || standing.follows;
  return {
    ...toSummary(row, now),
    community: { id: row.communityId, name: row.communityName },
    grid: row.gridId ? { id: row.gridId, name: row.gridName ?? '' } : null,
    declineReason: row.declineReason,
    mergedInto: row.mergedInto,
    rating: row.rating,
    reporter: insider ? row.reporterName : null,
    handler: insider ? row.handlerName : null,
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      actor: insider ? e.actorName : null,
      note: e.note,
      photoIds: e.photoIds,
      at: e.createdAt.toISOString(),
    })),
    viewer: {
      part: problemPartOf(standing),
      may: problemVerbsFor(standing, row.status, row.topicId !== null),
    },
    outcome,
    pointsCredited,
  };
}

/**
 * What became of a raised report at the roundtable, as public as the 公示: the topic's
 * resolution, its action items and the project or activity each was handed on as.
 */
export async function topicOutcome(
  db: DbOrTx,
  roundtableId: string,
  topicId: string,
  open: NonNullable<ProblemView['outcome']>['open'],
): Promise<NonNullable<ProblemView['outcome']>> {
  const [agenda, allItems, topic] = await Promise.all([
    agendaOf(db, roundtableId),
    actionItemsOf(db, roundtableId),
    topicTitleOf(db, topicId),
  ]);
  const items = allItems.filter((i) => i.topicId === topicId);
  const handoffs = await handoffsOf(
    db,
    items.map((i) => i.id),
  );
  return {
    topicTitle: topic ?? '',
    open,
    resolution: agenda.find((t) => t.id === topicId)?.resolution ?? null,
    items: items.map((i) => ({
      id: i.id,
      title: i.title,
      owner: i.owner,
      status: i.status,
      handoff: handoffs.get(i.id) ?? null,
    })),
  };
}

/** A report's title in a notification: the start of its description. */
export function problemTitle(description: string): string {
  return description.length > 30 ? `${description.slice(0, 30)}…` : description;
}
