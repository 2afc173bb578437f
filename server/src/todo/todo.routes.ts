import { TodoView, type TodoEntry } from '@tongxin/shared/todo/todo.schemas';
import { chinaDay, DAY_MS, fromChinaLocal } from '@tongxin/shared/time/china';
import type { User } from '@tongxin/db/database';
import { listRoundtables, placesOfUser } from '@tongxin/db/roundtables/roundtables.queries';
import {
  deliveriesOnMyWishes,
  myOpenActionItems,
  myOpenClaims,
  myResolvedProblems,
  myActivitiesBetween,
  problemsWaitingOn,
  reviewCounts,
  secretaryCommunities,
  unratedItemCounts,
  unscreenedTopicCounts,
} from '@tongxin/db/todo/todo.queries';
import { errors } from '../http/error-responses.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { partsOf } from '../roundtables/part.ts';
import { endOfChinaDay, entry, sortEntries, urgencyOf } from './todo.views.ts';

/** Rooms and lists the page listens to: enough to follow what matters, few sockets. */
const WATCH_ROOMS = 4;
const WATCH_LISTS = 3;
/** A roundtable in 提事 whose time passed this long ago is no longer "next". */
const NEXT_GRACE_MS = 6 * 3600_000;

const short = (text: string, max = 40) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The roundtables part of the list: live, next, topics to screen, items to rate. */
async function roundtableEntries(app: App, user: User, now: Date) {
  const places = await placesOfUser(app.db, user.id);
  const tables = (await listRoundtables(app.db, places, user.id)).filter(
    (r) => r.stage !== 'closed',
  );
  const parts = await partsOf(app.db, user, tables);
  const mine = tables.filter((r) => {
    const part = parts.get(r.id);
    return part !== 'observer' && part !== undefined;
  });
  const chairing = mine.filter(
    (r) => parts.get(r.id) === 'chair' && (r.stage === 'raise' || r.stage === 'discuss'),
  );
  const rating = mine.filter(
    (r) => parts.get(r.id) !== 'guest' && (r.stage === 'act' || r.stage === 'review'),
  );
  const [unscreened, unrated] = await Promise.all([
    unscreenedTopicCounts(
      app.db,
      chairing.map((r) => r.id),
    ),
    unratedItemCounts(
      app.db,
      user.id,
      rating.map((r) => r.id),
    ),
  ]);
  const entries: TodoEntry[] = [];
  const watch = new Set<string>();
  const byStart = [...mine].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const place = (r: (typeof mine)[number]) => `${r.placeName} · ${r.localName}`;
  for (const r of byStart.filter((r) => r.stage === 'discuss')) {
    const chair = parts.get(r.id) === 'chair';
    entries.push(
      entry({
        kind: 'meeting_live',
        id: r.id,
        title: r.title,
        context: place(r),
        due: r.startsAt,
        urgency: 'soon',
        href: chair ? `/roundtables/${r.id}/console` : `/roundtables/${r.id}`,
        state: chair ? 'chair' : null,
      }),
    );
    watch.add(r.id);
  }
  const next = byStart.find(
    (r) => r.stage === 'raise' && r.startsAt.getTime() > now.getTime() - NEXT_GRACE_MS,
  );
  if (next) {
    entries.push(
      entry({
        kind: 'meeting_next',
        id: next.id,
        title: next.title,
        context: place(next),
        due: next.startsAt,
        urgency: urgencyOf(next.startsAt, now, false),
        href: `/roundtables/${next.id}`,
      }),
    );
    watch.add(next.id);
  }
  for (const r of chairing) {
    const n = unscreened.get(r.id);
    if (!n) continue;
    entries.push(
      entry({
        kind: 'screen_topics',
        id: r.id,
        title: r.title,
        context: place(r),
        due: r.startsAt,
        // Before the meeting, the agenda has to be ready: due when it starts.
        urgency: urgencyOf(r.startsAt, now, r.stage === 'discuss'),
        href: `/roundtables/${r.id}/console`,
        count: n,
      }),
    );
    watch.add(r.id);
  }
  const titled = new Map(mine.map((r) => [r.id, r]));
  for (const row of unrated) {
    const r = titled.get(row.roundtableId)!;
    entries.push(
      entry({
        kind: 'rate_items',
        id: r.id,
        title: r.title,
        context: place(r),
        urgency: 'normal',
        href: `/roundtables/${r.id}`,
        count: Number(row.n),
      }),
    );
    watch.add(r.id);
  }
  return { entries, rooms: [...watch].slice(0, WATCH_ROOMS) };
}

/** The secretary's queues, reports waiting on me, and what I answer for myself. */
async function communityEntries(app: App, user: User, now: Date) {
  const secretaryOf = await secretaryCommunities(app.db, user.id);
  const ids = secretaryOf.map((c) => c.id);
  const tomorrowEnds = new Date(fromChinaLocal(chinaDay(now)).getTime() + 2 * DAY_MS);
  const [counts, wishDeliveries, problems, answered, claims, activities, items] = await Promise.all(
    [
      reviewCounts(app.db, ids),
      deliveriesOnMyWishes(app.db, user.id, ids),
      problemsWaitingOn(app.db, user.id, ids, now),
      myResolvedProblems(app.db, user.id),
      myOpenClaims(app.db, user.id),
      myActivitiesBetween(app.db, user.id, now, tomorrowEnds),
      myOpenActionItems(app.db, user.id),
    ],
  );
  const entries: TodoEntry[] = [];
  for (const c of counts) {
    const review = `/double-report/review?c=${c.id}`;
    const wishes = Number(c.wishes ?? 0);
    const members = Number(c.members ?? 0);
    const deliveries = Number(c.deliveries ?? 0);
    if (wishes)
      entries.push(
        entry({
          kind: 'review_wishes',
          id: c.id,
          title: c.name,
          urgency: 'normal',
          href: review,
          count: wishes,
        }),
      );
    if (members)
      entries.push(
        entry({
          kind: 'review_members',
          id: c.id,
          title: c.name,
          urgency: 'normal',
          href: review,
          count: members,
        }),
      );
    if (deliveries) {
      const since = c.deliveredSince ? new Date(c.deliveredSince) : null;
      entries.push(
        entry({
          kind: 'confirm_deliveries',
          id: c.id,
          title: c.name,
          due: since,
          // Waiting a week for the community's word is too long.
          urgency: since && now.getTime() - since.getTime() > 7 * DAY_MS ? 'overdue' : 'normal',
          href: review,
          count: deliveries,
        }),
      );
    }
  }
  for (const d of wishDeliveries)
    entries.push(
      entry({
        kind: 'confirm_deliveries',
        id: d.id,
        title: d.title,
        context: d.communityName,
        due: d.deliveredAt,
        urgency: 'normal',
        href: `/double-report/items/${d.itemId}`,
      }),
    );
  const watchLists = new Set<string>();
  for (const p of problems) {
    // Raised to a roundtable, its own time limits do not run (the roundtable's process owns it).
    const due = p.topicId ? null : p.status === 'submitted' ? p.respondBy : p.resolveBy;
    entries.push(
      entry({
        kind: 'handle_problem',
        id: p.id,
        title: short(p.description),
        context: p.communityName,
        due,
        urgency: urgencyOf(due, now, Boolean(p.overdue)),
        href: `/problems/${p.id}`,
        state: p.status,
        escalated: p.escalatedAt !== null,
      }),
    );
    watchLists.add(p.communityId);
  }
  // A secretary's or grid worker's list is followed even when nothing waits yet.
  for (const id of ids) watchLists.add(id);
  for (const p of answered)
    entries.push(
      entry({
        kind: 'problem_answered',
        id: p.id,
        title: short(p.description),
        context: p.communityName,
        due: p.updatedAt,
        urgency: 'normal',
        href: `/problems/${p.id}`,
      }),
    );
  for (const c of claims)
    entries.push(
      entry({
        kind: 'my_claim',
        id: c.id,
        title: c.title,
        context: c.unitName ? `${c.communityName} · ${c.unitName}` : c.communityName,
        due: c.dueAt,
        urgency: urgencyOf(c.dueAt, now),
        href: `/double-report/items/${c.itemId}`,
        state: c.status,
      }),
    );
  for (const s of activities)
    entries.push(
      entry({
        kind: 'activity_tomorrow',
        id: s.id,
        title: s.title,
        context: s.teamName ? `${s.teamName} · ${s.place}` : s.place,
        due: s.startsAt,
        urgency: urgencyOf(s.startsAt, now),
        href: `/teams/activities/${s.id}`,
      }),
    );
  for (const i of items) {
    const due = endOfChinaDay(i.deadline);
    entries.push(
      entry({
        kind: 'my_action_item',
        id: i.id,
        title: i.title,
        context: i.roundtableTitle,
        due,
        urgency: urgencyOf(due, now),
        href: `/roundtables/${i.roundtableId}`,
        state: i.status,
      }),
    );
  }
  return { entries, problems: [...watchLists].slice(0, WATCH_LISTS) };
}

/** 待办: what needs me, on the home page. */
export async function todoRoutes(app: App) {
  app.get(
    '/todo',
    {
      schema: {
        tags: ['todo'],
        description:
          'What needs the signed-in person now, by their roles: meetings, queues to work through, ' +
          'reports waiting on them, their claims, activities and items; overdue first.',
        response: { 200: TodoView, ...errors(401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const now = app.now();
      if (user.kind === 'guest')
        return { entries: [], watch: { rooms: [], problems: [] }, generatedAt: now.toISOString() };
      const [tables, community] = await Promise.all([
        roundtableEntries(app, user, now),
        communityEntries(app, user, now),
      ]);
      return {
        entries: sortEntries([...tables.entries, ...community.entries]),
        watch: { rooms: tables.rooms, problems: community.problems },
        generatedAt: now.toISOString(),
      };
    },
  );
}
