import type { DbOrTx } from '../create-db.ts';

/**
 * A roundtable in its raise stage (提事) at 幸福社区: one topic on the agenda, one waiting
 * for the branch to screen it, co-signed by a neighbour.
 */
export async function seedRoundtables(
  tx: DbOrTx,
  users: Map<string, string>,
  places: Map<string, string>,
) {
  const chairId = users.get('secretary')!;
  const { id } = await tx
    .insertInto('roundtables')
    .values({
      placeId: places.get('幸福社区')!,
      title: '阳光花园停车与电动车充电',
      localName: '幸福家园圆桌会',
      location: '社区党群服务中心二楼会议室',
      startsAt: new Date(Date.now() + 3 * 86_400_000),
      quorum: 15,
      chairId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const parking = await tx
    .insertInto('topics')
    .values({
      roundtableId: id,
      raisedBy: users.get('resident')!,
      title: '晚上停车位不够，消防通道常被占用',
      description: '下班后车位全满，3号楼前的消防通道天天停满车。',
      category: 'parking',
      location: '阳光花园3号楼',
      status: 'accepted',
      agendaPosition: 1,
      screenedBy: chairId,
      screenedAt: new Date(),
      cosignCount: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('topicCosigns')
    .values({ topicId: parking.id, userId: users.get('resident2')! })
    .execute();
  await tx
    .insertInto('topics')
    .values({
      roundtableId: id,
      raisedBy: users.get('resident2')!,
      title: '楼道里给电动车充电太危险',
      description: '建议在小区里建集中充电桩。',
      category: 'ebike_charging',
      location: '玻璃厂小区',
    })
    .execute();
}
