import type { HandoffLink } from '@tongxin/shared/roundtables/handoff.schemas';
import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../create-db.ts';
import { newCheckinCode } from '../teams/service-days.queries.ts';

/**
 * 办事 handed on (server/src/roundtables/handoff.commands.ts). An action item published as a
 * 双报到 project is a `claim_items` row of kind `project` whose `action_item_id` points back;
 * as a team's activity, an `activities` row that does. A unique index on each side keeps it to
 * one of each per item.
 */

/**
 * Is the item already handed on (a project, or an activity not cancelled, points at it)? An
 * item whose activity was cancelled may be handed on again.
 */
export async function isHandedOn(db: DbOrTx, actionItemId: string): Promise<boolean> {
  const [project, activity] = await Promise.all([
    db
      .selectFrom('claimItems')
      .select('id')
      .where('actionItemId', '=', actionItemId)
      .executeTakeFirst(),
    db
      .selectFrom('activities')
      .select('id')
      .where('actionItemId', '=', actionItemId)
      .where('status', '<>', 'cancelled')
      .executeTakeFirst(),
  ]);
  return project !== undefined || activity !== undefined;
}

export interface NewHandoffProject {
  actionItemId: string;
  communityId: string;
  title: string;
  description: string;
  dueAt: Date | null;
  postedBy: string;
}

/** The item as a project on the community's 项目清单, open to one unit's claim. */
export async function insertHandoffProject(db: Tx, project: NewHandoffProject): Promise<string> {
  const row = await db
    .insertInto('claimItems')
    .values({
      ...project,
      kind: 'project',
      status: 'open',
      reviewNote: null,
      unitId: null,
      availability: null,
      quota: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface NewHandoffActivity {
  actionItemId: string;
  communityId: string;
  teamId: string;
  title: string;
  description: string;
  place: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  createdBy: string;
}

/** The item as its team's activity (open to every resident, like a team's own activity). */
export async function insertHandoffActivity(db: Tx, activity: NewHandoffActivity) {
  const row = await db
    .insertInto('activities')
    .values({
      ...activity,
      requirements: '',
      membersOnly: false,
      checkinCode: newCheckinCode(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The team of a community, if it is one (an item's team may be handed the activity). */
export function teamCommunity(db: DbOrTx, teamId: string) {
  return db
    .selectFrom('teams')
    .select(['id', 'communityId'])
    .where('id', '=', teamId)
    .executeTakeFirst();
}

/** The roundtable an action item belongs to. */
export async function roundtableOfActionItem(
  db: DbOrTx,
  actionItemId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('actionItems')
    .select('roundtableId')
    .where('id', '=', actionItemId)
    .executeTakeFirst();
  return row?.roundtableId ?? null;
}

/** The action item a claim item or an activity was published for, if any. */
export async function actionItemOfActivity(db: DbOrTx, activityId: string) {
  const row = await db
    .selectFrom('activities')
    .select(['actionItemId', 'completedAt', 'startsAt', 'status'])
    .where('id', '=', activityId)
    .executeTakeFirst();
  return row ?? null;
}

/** The team reports its activity done. False when it already was. */
export async function completeActivityRow(
  db: Tx,
  activityId: string,
  by: string,
  note: string,
): Promise<boolean> {
  const row = await db
    .updateTable('activities')
    .set({ completedAt: new Date(), completedBy: by, completionNote: note })
    .where('id', '=', activityId)
    .where('completedAt', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * 评事 sent the item back to 办事: its linked work is reopened with it. The project's confirmed
 * claim goes back to in progress (the same unit carries on and delivers again; its place is
 * kept and the project is open again on the lists), the activity's completion is cleared (its
 * team holds it again, changing its time if need be, and reports it done again). Locks, after
 * the action item's: the claim item, then its claims, then the activity. Answers whom to tell
 * (the claimants) and which boards to republish.
 */
export async function reopenHandoff(db: Tx, actionItemId: string) {
  const projects = await db
    .updateTable('claimItems')
    .set({ status: 'open' })
    .where('actionItemId', '=', actionItemId)
    .returning(['id', 'communityId'])
    .execute();
  const claims = projects.length
    ? await db
        .updateTable('claims')
        .set({
          status: 'in_progress',
          confirmedAt: null,
          confirmedBy: null,
          rating: null,
          ratingComment: null,
          updatedAt: new Date(),
        })
        .where(
          'itemId',
          'in',
          projects.map((p) => p.id),
        )
        .where('status', '=', 'confirmed')
        .returning(['id', 'userId'])
        .execute()
    : [];
  const activities = await db
    .updateTable('activities')
    .set({ completedAt: null, completedBy: null, completionNote: null })
    .where('actionItemId', '=', actionItemId)
    .where('status', '<>', 'cancelled')
    .where('completedAt', 'is not', null)
    .returning(['id', 'communityId'])
    .execute();
  return {
    /** The claims and activities reopened, for the item's audit entry. */
    claimIds: claims.map((c) => c.id),
    activityIds: activities.map((a) => a.id),
    claimants: claims.map((c) => c.userId),
    claimsCommunity: projects[0]?.communityId ?? null,
    teamsCommunity: activities[0]?.communityId ?? null,
  };
}

/** Each item's linked work and its state, for the room document (one query per side). */
export async function handoffsOf(
  db: DbOrTx,
  actionItemIds: string[],
): Promise<Map<string, HandoffLink>> {
  const links = new Map<string, HandoffLink>();
  if (actionItemIds.length === 0) return links;
  const [projects, activities] = await Promise.all([
    db
      .selectFrom('claimItems as i')
      .leftJoin('claims as c', (j) =>
        j.onRef('c.itemId', '=', 'i.id').on('c.status', '<>', 'withdrawn'),
      )
      .leftJoin('units as u', 'u.id', 'c.unitId')
      .leftJoin('users as us', 'us.id', 'c.userId')
      .select([
        'i.id',
        'i.actionItemId',
        'i.title',
        'i.status as itemStatus',
        'c.status as claimStatus',
        'u.name as unitName',
        'us.displayName as userName',
      ])
      .where('i.actionItemId', 'in', actionItemIds)
      .orderBy('c.claimedAt', 'desc')
      .execute(),
    db
      .selectFrom('activities')
      .select(['id', 'actionItemId', 'title', 'status', 'completedAt'])
      .where('actionItemId', 'in', actionItemIds)
      // Cancelled ones first, newest last: the one shown is the live one, else the latest.
      .orderBy(sql`status <> 'cancelled'`)
      .orderBy('createdAt')
      .execute(),
  ]);
  for (const p of projects) {
    if (links.has(p.actionItemId!)) continue; // the latest live claim came first
    links.set(p.actionItemId!, {
      kind: 'project',
      id: p.id,
      title: p.title,
      state: p.claimStatus && p.claimStatus !== 'withdrawn' ? p.claimStatus : 'open',
      claimant: p.unitName ?? p.userName ?? null,
    });
  }
  for (const a of activities)
    links.set(a.actionItemId!, {
      kind: 'activity',
      id: a.id,
      title: a.title,
      state: a.status === 'cancelled' ? 'cancelled' : a.completedAt ? 'completed' : 'scheduled',
      claimant: null,
    });
  return links;
}

function originQuery(db: DbOrTx) {
  return db
    .selectFrom('actionItems as a')
    .innerJoin('resolutions as r', 'r.id', 'a.resolutionId')
    .innerJoin('roundtables as rt', 'rt.id', 'a.roundtableId')
    .select([
      'a.roundtableId',
      'rt.title as roundtableTitle',
      'r.text as resolution',
      'a.id as itemId',
      'a.title as itemTitle',
      'a.status as itemStatus',
      'a.round',
    ]);
}

/** 来自圆桌会议决议: the item (and its roundtable and resolution) a project was published for. */
export function originOfClaimItem(db: DbOrTx, claimItemId: string) {
  return originQuery(db)
    .where('a.id', '=', (eb) =>
      eb.selectFrom('claimItems').select('actionItemId').where('id', '=', claimItemId),
    )
    .executeTakeFirst();
}

/** The same for an activity, with its completion. */
export function originOfActivity(db: DbOrTx, activityId: string) {
  return originQuery(db)
    .where('a.id', '=', (eb) =>
      eb.selectFrom('activities').select('actionItemId').where('id', '=', activityId),
    )
    .executeTakeFirst();
}
