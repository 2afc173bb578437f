import { fromChinaLocal, chinaDay, DAY_MS } from '@tongxin/shared/time/china';
import type { Tx } from '../create-db.ts';
import { insertNotifications } from '../notifications/notifications.queries.ts';

interface Ids {
  users: Map<string, string>;
  places: Map<string, string>;
  units: Map<string, string>;
}

/**
 * 分类派单 and 催办 in the demo: 幸福社区 sends e-bike charging reports to 区供电公司 (its
 * representative 周代表 answers them, within 12 hours), and the power company's action item
 * "更换主路损坏路灯" is two days overdue — reminded once when it was due soon, and once overdue
 * to 周代表 and to 李书记, as the sweep would have (reminders_sent holds the keys, so the live
 * sweep does not send them again).
 */
export async function seedReminders(tx: Tx, { users, places, units }: Ids) {
  const community = places.get('幸福社区')!;
  const secretary = users.get('secretary')!;
  await tx
    .insertInto('problemRoutes')
    .values({
      communityId: community,
      category: 'ebike_charging',
      ownerKind: 'unit',
      unitId: units.get('区供电公司')!,
      teamId: null,
      respondHours: 12,
      resolveDays: null,
      setBy: secretary,
    })
    .execute();

  const deadline = chinaDay(new Date(Date.now() - 3 * DAY_MS));
  const item = await tx
    .updateTable('actionItems')
    .set({ deadline })
    .where('title', '=', '更换主路损坏路灯')
    .returning(['id', 'title', 'round', 'roundtableId'])
    .executeTakeFirstOrThrow();
  const due = new Date(fromChinaLocal(deadline).getTime() + DAY_MS);
  const dueKey = `${deadline}#${item.round}`;
  const link = `/roundtables/${item.roundtableId}`;
  const params = { subject: 'action_item', title: item.title, due: due.toISOString() };
  const rep = users.get('unitrep')!;
  for (const reminderKind of ['due_soon', 'overdue'] as const)
    await tx
      .insertInto('remindersSent')
      .values({
        subjectKind: 'action_item',
        subjectId: item.id,
        reminderKind,
        dueKey,
        sentAt: new Date(due.getTime() + (reminderKind === 'due_soon' ? -DAY_MS : 0)),
      })
      .execute();
  await insertNotifications(tx, [rep], {
    kind: 'reminder_due_soon',
    params: { ...params, as: 'owner' },
    link,
  });
  await insertNotifications(tx, [rep], {
    kind: 'reminder_overdue',
    params: { ...params, as: 'owner' },
    link,
  });
  await insertNotifications(tx, [secretary], {
    kind: 'reminder_overdue',
    params: { ...params, as: 'secretary' },
    link,
  });
}
