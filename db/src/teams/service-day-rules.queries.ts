import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../create-db.ts';
import type { ServiceDayRule } from './teams.tables.ts';

/** A community's running 集中服务日 rules, oldest first. */
export function runningRules(db: DbOrTx, communityId: string): Promise<ServiceDayRule[]> {
  return db
    .selectFrom('serviceDayRules')
    .selectAll()
    .where('communityId', '=', communityId)
    .where('endedAt', 'is', null)
    .orderBy('createdAt')
    .execute();
}

export function findRule(db: DbOrTx, id: string): Promise<ServiceDayRule | undefined> {
  return db.selectFrom('serviceDayRules').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The rule's next scheduled activities (at most six). */
export function upcomingOfRule(db: DbOrTx, ruleId: string, now: Date) {
  return db
    .selectFrom('activities')
    .select(['id', 'startsAt'])
    .where('serviceDayRuleId', '=', ruleId)
    .where('status', '=', 'scheduled')
    .where('startsAt', '>', now)
    .orderBy('startsAt')
    .limit(6)
    .execute();
}

export type NewRule = Omit<ServiceDayRule, 'id' | 'createdAt' | 'endedAt'>;

export function insertRule(tx: Tx, rule: NewRule): Promise<ServiceDayRule> {
  return tx.insertInto('serviceDayRules').values(rule).returningAll().executeTakeFirstOrThrow();
}

export type RuleEdit = Partial<
  Pick<
    ServiceDayRule,
    | 'title'
    | 'description'
    | 'place'
    | 'daysOfMonth'
    | 'startTime'
    | 'durationMinutes'
    | 'capacity'
    | 'membersOnly'
    | 'endedAt'
  >
>;

export function updateRule(tx: Tx, id: string, edit: RuleEdit): Promise<ServiceDayRule> {
  return tx
    .updateTable('serviceDayRules')
    .set(edit)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A rule's future activities, locked (in id order), each with whether anyone holds or awaits a place. */
export async function lockFutureActivities(tx: Tx, ruleId: string, now: Date) {
  const activities = await tx
    .selectFrom('activities')
    .select(['id', 'startsAt'])
    .where('serviceDayRuleId', '=', ruleId)
    .where('status', '=', 'scheduled')
    .where('startsAt', '>', now)
    .orderBy('id')
    .forUpdate()
    .execute();
  if (!activities.length) return [];
  const counts = await tx
    .selectFrom('signups')
    .select(['activityId'])
    .select((eb) => [
      eb.fn.countAll<string>().as('rows'),
      eb.fn
        .count<string>('id')
        .filterWhere('status', 'in', ['confirmed', 'waitlisted'])
        .as('people'),
    ])
    .where(
      'activityId',
      'in',
      activities.map((s) => s.id),
    )
    .groupBy('activityId')
    .execute();
  const byId = new Map(counts.map((c) => [c.activityId, c]));
  return activities.map((s) => ({
    ...s,
    people: Number(byId.get(s.id)?.people ?? 0),
    everSignedUp: byId.has(s.id),
  }));
}

export type FutureActivity = Awaited<ReturnType<typeof lockFutureActivities>>[number];

/**
 * Takes back activities nobody holds or awaits a place on. One nobody ever signed up for goes
 * altogether; one with only cancelled sign-ups is called off, so those people's history stays.
 */
export async function withdrawActivities(tx: Tx, activities: FutureActivity[]): Promise<string[]> {
  const gone = activities.filter((s) => !s.everSignedUp).map((s) => s.id);
  const off = activities.filter((s) => s.everSignedUp).map((s) => s.id);
  if (gone.length) await tx.deleteFrom('activities').where('id', 'in', gone).execute();
  if (off.length)
    await tx
      .updateTable('activities')
      .set({ status: 'cancelled' })
      .where('id', 'in', off)
      .execute();
  return [...gone, ...off];
}

/** Free activities that stay follow the rule's words, places and length. */
export async function followRule(tx: Tx, rule: ServiceDayRule, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await tx
    .updateTable('activities')
    .set({
      title: rule.title,
      description: rule.description,
      place: rule.place,
      capacity: rule.capacity,
      membersOnly: rule.membersOnly,
      endsAt: sql<Date>`starts_at + make_interval(mins => ${rule.durationMinutes})`,
    })
    .where('id', 'in', ids)
    .execute();
}
