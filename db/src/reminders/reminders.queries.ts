import { sql } from 'kysely';
import {
  DUE_SOON_MS,
  type ReminderKind,
  type ReminderSubject,
} from '@tongxin/shared/reminders/reminders';
import type { DbOrTx } from '../create-db.ts';

/** One deadline that calls for a reminder now, with what the words and the recipients need. */
export interface DueSubject {
  subjectKind: ReminderSubject;
  id: string;
  title: string;
  dueAt: Date;
  /** Which deadline it is: a new deadline (next round, new time limit) is reminded afresh. */
  dueKey: string;
  communityId: string;
  /** Where the notification links to: the roundtable, the claim's item, the report. */
  linkId: string;
}

/** Which reminder is due, in SQL: overdue past the deadline, due soon within a day of it. */
const kindAt = (due: string, now: Date) =>
  sql.raw(
    `case when ${due} <= '${now.toISOString()}'::timestamptz then 'overdue' else 'due_soon' end`,
  );

const notSent = (subject: ReminderSubject, id: string, due: string, key: string, now: Date) => sql`
  not exists (select 1 from reminders_sent s where s.subject_kind = ${subject}
    and s.subject_id = ${sql.raw(id)} and s.due_key = ${sql.raw(key)}
    and s.reminder_kind = ${kindAt(due, now)})`;

/**
 * Action items not done whose deadline (the end of that day, China time) is within a day or
 * past, and whose reminder for it is not yet sent.
 */
export async function dueActionItems(db: DbOrTx, now: Date, limit = 200): Promise<DueSubject[]> {
  const soon = new Date(now.getTime() + DUE_SOON_MS);
  const due = `((a.deadline + 1)::timestamp at time zone 'Asia/Shanghai')`;
  const key = `(to_char(a.deadline, 'YYYY-MM-DD') || '#' || a.round)`;
  const { rows } = await sql<DueSubject>`
    select 'action_item' as "subjectKind", a.id, a.title, ${sql.raw(due)} as "dueAt",
      ${sql.raw(key)} as "dueKey", r.id as "linkId",
      coalesce(case when pl.kind = 'compound' then pl.parent_id end, pl.id) as "communityId"
    from action_items a
    join roundtables r on r.id = a.roundtable_id
    join places pl on pl.id = r.place_id
    where a.status <> 'done' and ${sql.raw(due)} <= ${soon}
      and ${notSent('action_item', 'a.id', due, key, now)}
    order by a.deadline
    limit ${limit}`.execute(db);
  return rows;
}

/** Claims claimed or in progress whose item's due date is within a day or past. */
export async function dueClaims(db: DbOrTx, now: Date, limit = 200): Promise<DueSubject[]> {
  const soon = new Date(now.getTime() + DUE_SOON_MS);
  const key = `to_char(i.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const { rows } = await sql<DueSubject>`
    select 'claim' as "subjectKind", c.id, i.title, i.due_at as "dueAt", ${sql.raw(key)} as "dueKey",
      i.community_id as "communityId", i.id as "linkId"
    from claims c join claim_items i on i.id = c.item_id
    where c.status in ('claimed', 'in_progress') and i.due_at is not null and i.due_at <= ${soon}
      and ${notSent('claim', 'c.id', 'i.due_at', key, now)}
    order by i.due_at
    limit ${limit}`.execute(db);
  return rows;
}

/**
 * Problem reports still waiting on their handler whose time limit (to answer, or to resolve
 * once accepted) is within a day or past. Not those raised to a roundtable: its process owns
 * them, and its action items have their own reminders.
 */
export async function dueProblems(
  db: DbOrTx,
  now: Date,
  limit = 200,
): Promise<Array<DueSubject & { description: string }>> {
  const soon = new Date(now.getTime() + DUE_SOON_MS);
  const due = `(case when p.status = 'submitted' then p.respond_by else p.resolve_by end)`;
  const key = `((case when p.status = 'submitted' then 'respond@' else 'resolve@' end)
    || to_char(${due} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))`;
  const { rows } = await sql<DueSubject & { description: string }>`
    select 'problem' as "subjectKind", p.id, p.description as title, p.description,
      ${sql.raw(due)} as "dueAt", ${sql.raw(key)} as "dueKey", p.community_id as "communityId",
      p.id as "linkId"
    from problem_reports p
    where p.status in ('submitted', 'accepted', 'in_hand') and p.topic_id is null
      and ${sql.raw(due)} <= ${soon}
      and ${notSent('problem', 'p.id', due, key, now)}
    order by ${sql.raw(due)}
    limit ${limit}`.execute(db);
  return rows;
}

/**
 * Takes the right to send this reminder: true for exactly one caller, whatever the number of
 * instances sweeping. Inside the transaction that sends it, so a rollback frees it again; a
 * second caller waits on the key until the first commits, then finds it taken.
 */
export async function takeReminder(
  tx: DbOrTx,
  reminder: {
    subjectKind: ReminderSubject;
    subjectId: string;
    reminderKind: ReminderKind;
    dueKey: string;
  },
  now: Date,
): Promise<boolean> {
  const row = await tx
    .insertInto('remindersSent')
    .values({ ...reminder, sentAt: now })
    .onConflict((oc) => oc.doNothing())
    .returning('subjectId')
    .executeTakeFirst();
  return row !== undefined;
}

/** Who answers for a claim: its claimant (for a unit's claim, the representative who claimed). */
export async function claimOwner(db: DbOrTx, claimId: string): Promise<string[]> {
  const row = await db
    .selectFrom('claims')
    .select('userId')
    .where('id', '=', claimId)
    .executeTakeFirst();
  return row ? [row.userId] : [];
}

/** An action item's owner columns, for `ownersOfItem`. */
export function actionItemOwner(db: DbOrTx, itemId: string) {
  return db
    .selectFrom('actionItems')
    .select(['ownerUserId', 'ownerUnitId', 'ownerTeamId'])
    .where('id', '=', itemId)
    .executeTakeFirstOrThrow();
}

/** A report's handler and owner, to tell who answers it now. */
export function problemOwner(db: DbOrTx, problemId: string) {
  return db
    .selectFrom('problemReports')
    .select(['handlerId', 'communityId', 'gridId', 'ownerUnitId', 'ownerTeamId', 'status'])
    .where('id', '=', problemId)
    .executeTakeFirstOrThrow();
}
