import type { DbOrTx } from '../create-db.ts';

const days = (n: number) => new Date(Date.now() + n * 86_400_000);

/**
 * 双报到 · 双认领 at 幸福社区: reported units and members, the three lists, and claims in every
 * state — one overdue, one delivered and waiting for the resident who made the wish.
 */
export async function seedClaims(
  tx: DbOrTx,
  users: Map<string, string>,
  places: Map<string, string>,
  units: Map<string, string>,
  passwordHash: string,
) {
  const community = places.get('幸福社区')!;
  const secretary = users.get('secretary')!;

  // Two more representatives and members, so the roll is not one name long.
  const person = async (username: string, displayName: string) =>
    (
      await tx
        .insertInto('users')
        .values({ username, displayName, passwordHash, phone: null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const propertyRep = await person('demo_property', '钱经理');
  const cityRep = await person('demo_city', '郑科长');
  const memberB = await person('demo_member2', '冯党员');
  const memberC = await person('demo_member3', '何党员');
  for (const [userId, unit] of [
    [propertyRep, '阳光物业服务有限公司'],
    [cityRep, '区城市管理局'],
  ] as const)
    await tx
      .insertInto('roleAssignments')
      .values({ userId, role: 'unit_rep', placeId: community, unitId: units.get(unit)! })
      .execute();
  for (const userId of [memberB, memberC])
    await tx
      .insertInto('roleAssignments')
      .values({ userId, role: 'party_member', placeId: places.get('阳光花园')!, unitId: null })
      .execute();

  const reports = [
    [
      '区供电公司',
      users.get('unitrep')!,
      '周代表 0591-8888 1234',
      '每季度进社区开展一次用电安全检查，优先保障老旧小区线路改造。',
      40,
    ],
    [
      '阳光物业服务有限公司',
      propertyRep,
      '钱经理 138 0591 2222',
      '物业服务中心会议室每周六向居民免费开放；报修 24 小时内响应。',
      25,
    ],
    [
      '区城市管理局',
      cityRep,
      '郑科长 0591-8765 4321',
      '每月一次“城管进社区”，协助解决占道和违章搭建。',
      12,
    ],
  ] as const;
  for (const [unit, rep, contact, commitment, ago] of reports)
    await tx
      .insertInto('unitReports')
      .values({
        communityId: community,
        unitId: units.get(unit)!,
        contact,
        commitment,
        reportedBy: rep,
        reportedAt: days(-ago),
      })
      .execute();

  const memberReport = (userId: string, unitName: string, skills: string, confirmed: boolean) =>
    tx
      .insertInto('memberReports')
      .values({
        userId,
        communityId: community,
        unitName,
        skills,
        status: confirmed ? 'confirmed' : 'pending',
        reviewedBy: confirmed ? secretary : null,
        reviewedAt: confirmed ? days(-20) : null,
        reportedAt: days(-30),
      })
      .execute();
  await memberReport(users.get('member')!, '区税务局', '财务咨询、智能手机教学', true);
  await memberReport(memberB, '市第一医院', '健康咨询、量血压', true);
  await memberReport(memberC, '滨海小学', '课后辅导', false);

  const item = async (values: {
    kind: 'need' | 'wish' | 'resource' | 'project' | 'task';
    title: string;
    description: string;
    postedBy: string;
    status?: 'pending_review' | 'open' | 'closed';
    quota?: number;
    dueAt?: Date;
    unit?: string;
    availability?: string;
    ago?: number;
  }) =>
    (
      await tx
        .insertInto('claimItems')
        .values({
          communityId: community,
          kind: values.kind,
          title: values.title,
          description: values.description,
          status: values.status ?? 'open',
          postedBy: values.postedBy,
          unitId: values.unit ? units.get(values.unit)! : null,
          availability: values.availability ?? null,
          quota: values.quota ?? 1,
          dueAt: values.dueAt ?? null,
          createdAt: days(-(values.ago ?? 3)),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  // 需求清单 (incl. 微心愿)
  await item({
    kind: 'need',
    title: '玻璃厂小区3号楼楼道灯维修',
    description: '楼道灯坏了两个月，老人晚上上下楼不方便。',
    postedBy: secretary,
    dueAt: days(14),
  });
  const phoneWish = await item({
    kind: 'wish',
    title: '想学用智能手机挂号',
    description: '孩子在外地，想自己在手机上挂医院的号。',
    postedBy: users.get('resident')!,
    dueAt: days(10),
    ago: 6,
  });
  const glassesWish = await item({
    kind: 'wish',
    title: '一副老花镜',
    description: '原来的眼镜腿断了。',
    postedBy: users.get('resident')!,
    ago: 9,
  });
  await item({
    kind: 'wish',
    title: '轮椅需要修理',
    description: '右边刹车不灵了。',
    postedBy: users.get('resident2')!,
    status: 'pending_review',
    ago: 1,
  });
  // 资源清单
  await item({
    kind: 'resource',
    title: '用电安全讲座',
    description: '供电公司工程师上门讲解家庭用电安全，可现场检查线路。',
    postedBy: users.get('unitrep')!,
    unit: '区供电公司',
    availability: '每季度一次，提前一周预约',
  });
  await item({
    kind: 'resource',
    title: '物业会议室借用',
    description: '可容纳 30 人，有投影。',
    postedBy: propertyRep,
    unit: '阳光物业服务有限公司',
    availability: '每周六 9:00–17:00',
  });
  // 项目清单 (incl. 任务)
  const shed = await item({
    kind: 'project',
    title: '阳光花园电动车充电棚建设',
    description: '建设 40 个充电位，解决飞线充电隐患。',
    postedBy: secretary,
    dueAt: days(-3),
    ago: 40,
  });
  await item({
    kind: 'project',
    title: '老年助餐点运营',
    description: '为 70 岁以上老人提供午餐，需要两家单位共同承担。',
    postedBy: secretary,
    quota: 2,
    dueAt: days(30),
  });
  const green = await item({
    kind: 'project',
    title: '小区绿化认养',
    description: '认养中心花园的绿化养护一年。',
    postedBy: secretary,
    status: 'closed',
    ago: 60,
  });
  const visits = await item({
    kind: 'task',
    title: '独居老人周末探访',
    description: '每周末探访一位独居老人，陪聊天、看看家里有什么需要。',
    postedBy: secretary,
    quota: 3,
    dueAt: days(21),
  });

  // Each claim takes its place on the item the way the app does, so the counter and the
  // claims rows agree (the database checks it at commit).
  const claim = async (values: {
    itemId: string;
    userId: string;
    unit?: string;
    status: 'claimed' | 'in_progress' | 'delivered' | 'confirmed';
    note?: string;
    rating?: number;
    comment?: string;
    ago: number;
  }) => {
    await tx
      .insertInto('claims')
      .values({
        itemId: values.itemId,
        userId: values.userId,
        unitId: values.unit ? units.get(values.unit)! : null,
        status: values.status,
        claimedAt: days(-values.ago),
        startedAt: values.status === 'claimed' ? null : days(-values.ago + 1),
        deliveredAt: values.note ? days(-1) : null,
        deliveryNote: values.note ?? null,
        confirmedAt: values.rating ? days(-1) : null,
        confirmedBy: values.rating ? secretary : null,
        rating: values.rating ?? null,
        ratingComment: values.comment ?? null,
        updatedAt: days(values.note ? -1 : -values.ago + 1),
      })
      .execute();
    await tx
      .updateTable('claimItems')
      .set((eb) => ({ activeClaims: eb('activeClaims', '+', 1) }))
      .where('id', '=', values.itemId)
      .execute();
  };
  await claim({
    itemId: shed,
    userId: users.get('unitrep')!,
    unit: '区供电公司',
    status: 'in_progress',
    ago: 30,
  });
  await claim({
    itemId: green,
    userId: propertyRep,
    unit: '阳光物业服务有限公司',
    status: 'confirmed',
    note: '全年养护完成，补种月季 60 株。',
    rating: 5,
    comment: '花园比以前漂亮多了',
    ago: 55,
  });
  await claim({ itemId: phoneWish, userId: users.get('member')!, status: 'in_progress', ago: 4 });
  await claim({
    itemId: glassesWish,
    userId: memberB,
    status: 'delivered',
    note: '已在眼镜店配好，送到张阿姨家。',
    ago: 7,
  });
  await claim({ itemId: visits, userId: memberB, status: 'claimed', ago: 2 });
}
