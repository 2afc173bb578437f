import { randomBytes } from 'node:crypto';
import { SERVICE_DAY_HORIZON_DAYS, serviceDayStarts } from '@tongxin/shared/teams/teams';
import { chinaDay } from '@tongxin/shared/time/china';
import type { Db, DbOrTx } from '../create-db.ts';
import type { ServiceDayRule } from './teams.tables.ts';

/** The secret an activity's check-in QR code carries. */
export const newCheckinCode = () => randomBytes(12).toString('base64url');

/** The rule, locked until the transaction ends: changes, ends and top-ups queue here. */
export function lockServiceDayRule(db: DbOrTx, id: string): Promise<ServiceDayRule | undefined> {
  return db
    .selectFrom('serviceDayRules')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Lays out a rule's activities up to the horizon. Idempotent: the unique (rule, start) pair
 * means running it again, or from two servers, adds nothing twice. Returns the new ids.
 */
export async function generateServiceDays(
  db: DbOrTx,
  rule: ServiceDayRule,
  now = new Date(),
  /** Days (China time, 'YYYY-MM-DD') that already have an activity of this rule to keep. */
  skipDays: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  if (rule.endedAt) return [];
  const starts = serviceDayStarts(rule, now, SERVICE_DAY_HORIZON_DAYS).filter(
    (s) => !skipDays.has(chinaDay(s)),
  );
  if (!starts.length) return [];
  const rows = await db
    .insertInto('activities')
    .values(
      starts.map((startsAt) => ({
        communityId: rule.communityId,
        teamId: rule.teamId,
        serviceDayRuleId: rule.id,
        title: rule.title,
        description: rule.description,
        place: rule.place,
        startsAt,
        endsAt: new Date(startsAt.getTime() + rule.durationMinutes * 60_000),
        capacity: rule.capacity,
        membersOnly: rule.membersOnly,
        checkinCode: newCheckinCode(),
        createdBy: rule.createdBy,
      })),
    )
    .onConflict((oc) => oc.columns(['serviceDayRuleId', 'startsAt']).doNothing())
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Tops up every running rule's activities to the horizon; returns how many were added. */
export async function generateAllServiceDays(db: Db, now = new Date()): Promise<number> {
  const ids = await db
    .selectFrom('serviceDayRules')
    .select('id')
    .where('endedAt', 'is', null)
    .execute();
  let added = 0;
  for (const { id } of ids)
    added += await db.transaction().execute(async (tx) => {
      // Under the rule's lock, so a rule being changed or ended is read as it ends up.
      const rule = await lockServiceDayRule(tx, id);
      return rule ? (await generateServiceDays(tx, rule, now)).length : 0;
    });
  return added;
}
