import type { DbOrTx } from '../create-db.ts';

const DAY = 86_400_000;
const dayString = (date: Date) => date.toISOString().slice(0, 10);

interface Ids {
  users: Map<string, string>;
  places: Map<string, string>;
  units: Map<string, string>;
}

/**
 * 办事 handed on (issue 18): in 玻璃厂小区路灯维修 (办事), one more item of its resolution,
 * 区城市管理局's (its street-light office), published by the secretary as a 双报到 project that
 * 区城市管理局 (`demo_city`, 郑科长) claimed and delivered two days ago. It awaits the community's confirmation (`secretary`,
 * 我的认领 or the project's page), which makes the item done and moves it to 评事.
 */
export async function seedHandoff(tx: DbOrTx, { users, places, units }: Ids) {
  const secretary = users.get('secretary')!;
  // 区城市管理局's representative (seed-claims.ts), whose unit had claimed nothing yet.
  const { id: unitrep } = await tx
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'demo_city')
    .executeTakeFirstOrThrow();
  const unitId = units.get('区城市管理局')!;
  const roundtable = await tx
    .selectFrom('roundtables')
    .select('id')
    .where('title', '=', '玻璃厂小区路灯维修')
    .executeTakeFirstOrThrow();
  const resolution = await tx
    .selectFrom('resolutions as r')
    .innerJoin('topics as t', 't.id', 'r.topicId')
    .select('r.id')
    .where('t.roundtableId', '=', roundtable.id)
    .executeTakeFirstOrThrow();
  const item = await tx
    .insertInto('actionItems')
    .values({
      roundtableId: roundtable.id,
      resolutionId: resolution.id,
      title: '更换2号楼至大门段路灯灯杆',
      ownerKind: 'unit',
      ownerUnitId: unitId,
      deadline: dayString(new Date(Date.now() + 10 * DAY)),
      status: 'in_progress',
      createdBy: secretary,
      createdAt: new Date(Date.now() - 6 * DAY),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const project = await tx
    .insertInto('claimItems')
    .values({
      communityId: places.get('幸福社区')!,
      kind: 'project',
      title: '更换玻璃厂小区2号楼至大门段路灯灯杆',
      description: '来自居民恳谈会决议：主路路灯两周内修好。锈断的灯杆三根，由城管路灯所更换。',
      status: 'open',
      reviewNote: null,
      postedBy: secretary,
      unitId: null,
      availability: null,
      quota: 1,
      activeClaims: 1,
      dueAt: new Date(Date.now() + 10 * DAY),
      actionItemId: item.id,
      createdAt: new Date(Date.now() - 6 * DAY),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const note = '三根灯杆已更换，线路重新敷设，当晚试亮正常。附施工验收单。';
  await tx
    .insertInto('claims')
    .values({
      itemId: project.id,
      userId: unitrep,
      unitId,
      status: 'delivered',
      claimedAt: new Date(Date.now() - 5 * DAY),
      startedAt: new Date(Date.now() - 4 * DAY),
      deliveredAt: new Date(Date.now() - 2 * DAY),
      deliveryNote: note,
      updatedAt: new Date(Date.now() - 2 * DAY),
    })
    .execute();
  // The delivery is the item's progress, as deliverClaim writes it.
  await tx
    .insertInto('actionUpdates')
    .values({
      itemId: item.id,
      authorId: unitrep,
      note,
      status: 'in_progress',
      createdAt: new Date(Date.now() - 2 * DAY),
    })
    .execute();
}
