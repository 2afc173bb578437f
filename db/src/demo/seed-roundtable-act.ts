import type { DbOrTx } from '../create-db.ts';

const DAY = 86_400_000;
const dayString = (date: Date) => date.toISOString().slice(0, 10);

interface Ids {
  users: Map<string, string>;
  places: Map<string, string>;
  units: Map<string, string>;
}

/**
 * A roundtable in 办事 (act), so the demo has one in every stage: street lights at 玻璃厂小区,
 * decided a week ago, its action items with three kinds of owner in three states — the team
 * leader's own item in progress (so `leader` sees work to report on), the power company's
 * pending, and a service team's blocked with a reason.
 */
export async function seedRoundtableAct(tx: DbOrTx, { users, places, units }: Ids) {
  const chairId = users.get('secretary')!;
  const { id } = await tx
    .insertInto('roundtables')
    .values({
      placeId: places.get('玻璃厂小区')!,
      title: '玻璃厂小区路灯维修',
      localName: '居民恳谈会',
      location: '玻璃厂小区活动室',
      startsAt: new Date(Date.now() - 7 * DAY),
      stage: 'act',
      chairId,
      quorum: 5,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('roundtableUnits')
    .values({ roundtableId: id, unitId: units.get('区供电公司')! })
    .execute();
  const topic = await tx
    .insertInto('topics')
    .values({
      roundtableId: id,
      raisedBy: users.get('resident2')!,
      title: '小区路灯坏了一半，晚上回家看不清路',
      description: '2号楼到大门那段路灯不亮已经一个多月，老人晚上出门容易摔倒。',
      category: 'safety',
      status: 'accepted',
      agendaPosition: 1,
      screenedBy: chairId,
      screenedAt: new Date(Date.now() - 9 * DAY),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const attendees = ['resident2', 'volunteer', 'member', 'leader'];
  const names = await tx
    .selectFrom('users')
    .select(['id', 'displayName'])
    .where(
      'id',
      'in',
      attendees.map((u) => users.get(u)!),
    )
    .execute();
  await tx
    .insertInto('attendance')
    .values(
      names.map((u) => ({
        roundtableId: id,
        userId: u.id,
        name: u.displayName,
        part: 'participant' as const,
        how: 'app' as const,
      })),
    )
    .execute();
  const resolution = await tx
    .insertInto('resolutions')
    .values({
      topicId: topic.id,
      text: '区供电公司两周内修好主路路灯；服务队排查楼道灯；孙队长牵头跟进。',
      recordedBy: chairId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const team = await tx
    .selectFrom('teams')
    .select('id')
    .where('communityId', '=', places.get('幸福社区')!)
    .orderBy('name')
    .executeTakeFirstOrThrow();
  const [followUp] = await tx
    .insertInto('actionItems')
    .values([
      {
        roundtableId: id,
        resolutionId: resolution.id,
        title: '跟进路灯维修进度并向居民通报',
        ownerKind: 'person',
        ownerUserId: users.get('leader')!,
        deadline: dayString(new Date(Date.now() + 7 * DAY)),
        status: 'in_progress',
        createdBy: chairId,
      },
      {
        roundtableId: id,
        resolutionId: resolution.id,
        title: '更换主路损坏路灯',
        ownerKind: 'unit',
        ownerUnitId: units.get('区供电公司')!,
        deadline: dayString(new Date(Date.now() + 7 * DAY)),
        status: 'pending',
        createdBy: chairId,
      },
      {
        roundtableId: id,
        resolutionId: resolution.id,
        title: '排查并更换楼道声控灯',
        ownerKind: 'team',
        ownerTeamId: team.id,
        deadline: dayString(new Date(Date.now() + 3 * DAY)),
        status: 'blocked',
        blockedReason: '灯具型号停产，等物业确认替换型号。',
        createdBy: chairId,
      },
    ])
    .returning('id')
    .execute();
  await tx
    .insertInto('actionUpdates')
    .values({
      itemId: followUp!.id,
      authorId: users.get('leader')!,
      note: '已和供电公司约好下周二来修，届时在楼栋群里通知。',
      status: 'in_progress',
      createdAt: new Date(Date.now() - 2 * DAY),
    })
    .execute();
}
