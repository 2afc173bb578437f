import { chinaDayAt } from '@tongxin/shared/time/china';
import type { DbOrTx } from '../create-db.ts';
import { generateServiceDays, newCheckinCode } from '../teams/service-days.queries.ts';

const HOUR = 3600_000;
/** `days` from today at `hour` o'clock China time. */
const at = (days: number, hour: number) => chinaDayAt(new Date(), days, hour);

/**
 * 服务队 · 志愿服务 at 幸福社区: four teams, activities (one nearly full, one with a waiting
 * list, one tomorrow), a monthly service day, last week's activity with confirmed hours and
 * points, a redemption, and the points catalogue.
 */
export async function seedTeams(
  tx: DbOrTx,
  users: Map<string, string>,
  places: Map<string, string>,
  passwordHash: string,
) {
  const community = places.get('幸福社区')!;
  const secretary = users.get('secretary')!;
  const leader = users.get('leader')!;
  const volunteer = users.get('volunteer')!;
  const member = users.get('member')!;
  // Made by the double-report seed.
  const byName = async (username: string) =>
    (
      await tx
        .selectFrom('users')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirstOrThrow()
    ).id;
  const memberB = await byName('demo_member2');
  const memberC = await byName('demo_member3');

  // Neighbours who turn out for activities, so the rosters are not one name long.
  const neighbours: string[] = [];
  for (const [username, displayName] of [
    ['demo_vol1', '周阿姨'],
    ['demo_vol2', '黄师傅'],
    ['demo_vol3', '林大姐'],
    ['demo_vol4', '郭大哥'],
    ['demo_vol5', '马奶奶'],
    ['demo_vol6', '罗阿姨'],
  ] as const) {
    const { id } = await tx
      .insertInto('users')
      .values({ username, displayName, passwordHash, phone: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('roleAssignments')
      .values({ userId: id, role: 'resident', placeId: places.get('阳光花园')!, unitId: null })
      .execute();
    neighbours.push(id);
  }

  const team = async (
    name: string,
    kind: string,
    description: string,
    teamLeader: string,
    members: string[],
    joinPolicy: 'open' | 'approval' = 'open',
  ) => {
    const { id } = await tx
      .insertInto('teams')
      .values({
        communityId: community,
        name,
        kind: kind as never,
        description,
        joinPolicy,
        createdBy: secretary,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('teamMembers')
      .values([
        { teamId: id, userId: teamLeader, role: 'leader', status: 'active' },
        ...members.map((userId) => ({ teamId: id, userId, role: 'member' as const })),
      ])
      .execute();
    return id;
  };
  const mutualAid = await team(
    '邻里互助队',
    'mutual_aid',
    '帮独居老人买菜、送餐、陪同就医，邻里之间搭把手。',
    leader,
    [volunteer, ...neighbours.slice(0, 4)],
  );
  const commando = await team(
    '党员先锋突击队',
    'party_commando',
    '在职党员和退休党员组成，急难险重任务冲在前。',
    member,
    [memberB, memberC],
    'approval',
  );
  const patrol = await team(
    '平安义警巡逻队',
    'patrol',
    '晚间巡逻，留意消防通道和陌生人员。',
    leader,
    neighbours.slice(3, 6),
  );
  await team('文明劝导队', 'civility', '劝导乱停车、乱扔垃圾，宣传垃圾分类。', leader, [
    neighbours[5]!,
  ]);

  /** An activity with `held` confirmed places and `waiting` on the list, in arrival order. */
  const activity = async (s: {
    teamId: string | null;
    title: string;
    description: string;
    place: string;
    requirements?: string;
    startsAt: Date;
    hours: number;
    capacity: number;
    people: string[];
    membersOnly?: boolean;
  }) => {
    const held = Math.min(s.capacity, s.people.length);
    const { id } = await tx
      .insertInto('activities')
      .values({
        communityId: community,
        teamId: s.teamId,
        title: s.title,
        description: s.description,
        place: s.place,
        requirements: s.requirements ?? '',
        startsAt: s.startsAt,
        endsAt: new Date(s.startsAt.getTime() + s.hours * HOUR),
        capacity: s.capacity,
        membersOnly: s.membersOnly ?? false,
        confirmedCount: held,
        signupSeq: s.people.length,
        checkinCode: newCheckinCode(),
        createdBy: leader,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (s.people.length)
      await tx
        .insertInto('signups')
        .values(
          s.people.map((userId, i) => ({
            activityId: id,
            userId,
            status: i < held ? ('confirmed' as const) : ('waitlisted' as const),
            arrival: i + 1,
          })),
        )
        .execute();
    return id;
  };

  await activity({
    teamId: mutualAid,
    title: '周六助老送餐',
    description: '从老年助餐点取餐，送到 12 户独居老人家中，顺便问问身体情况。',
    place: '老年助餐点（3 号楼下）',
    requirements: '能爬楼梯；自带保温袋更好',
    startsAt: at(2, 10),
    hours: 2,
    capacity: 6,
    people: neighbours.slice(0, 5), // one place left
  });
  await activity({
    teamId: mutualAid,
    title: '楼道杂物清理',
    description: '清理 5 号楼楼道堆放的杂物，保持消防通道畅通。',
    place: '5 号楼',
    requirements: '穿耐脏的衣服，手套社区提供',
    startsAt: at(3, 15),
    hours: 2,
    capacity: 3,
    people: [neighbours[2]!, neighbours[3]!, neighbours[4]!, neighbours[5]!, neighbours[0]!], // full, two waiting
  });
  await activity({
    teamId: patrol,
    title: '夜间平安巡逻',
    description: '沿小区外围和地下车库巡逻一圈，检查消防通道。',
    place: '南门岗亭集合',
    startsAt: at(1, 19),
    hours: 2,
    capacity: 8,
    people: neighbours.slice(3, 5),
  });
  await activity({
    teamId: commando,
    title: '雨季排水沟疏通',
    description: '疏通阳光花园排水沟，党员带头。',
    place: '阳光花园东侧',
    startsAt: at(5, 9),
    hours: 3,
    capacity: 10,
    people: [memberB],
    membersOnly: true,
  });

  // Last week's activity: checked in, hours confirmed, points credited through the ledger.
  const past = await activity({
    teamId: mutualAid,
    title: '社区义诊志愿服务',
    description: '协助社区医院义诊：排队引导、测血压登记。',
    place: '社区服务中心一楼',
    startsAt: at(-6, 9),
    hours: 3,
    capacity: 5,
    people: [volunteer, neighbours[0]!, neighbours[1]!, neighbours[2]!],
  });
  const pastStart = at(-6, 9);
  const served: Array<[string, number]> = [
    [volunteer, 180],
    [neighbours[0]!, 180],
    [neighbours[1]!, 120],
  ];
  for (const [userId, minutes] of served) {
    const { id: signupId } = await tx
      .updateTable('signups')
      .set({
        attendance: 'present',
        checkedInAt: new Date(pastStart.getTime() - 10 * 60_000),
        checkedInBy: userId,
        serviceMinutes: minutes,
        hoursConfirmedAt: new Date(pastStart.getTime() + 4 * HOUR),
        hoursConfirmedBy: leader,
      })
      .where('activityId', '=', past)
      .where('userId', '=', userId)
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('pointsLedger')
      .values({
        userId,
        communityId: community,
        delta: minutes / 6,
        reason: 'service_hours',
        signupId,
        balanceAfter: minutes / 6,
        createdBy: leader,
      })
      .execute();
  }
  await tx
    .updateTable('signups')
    .set({ attendance: 'no_show' })
    .where('activityId', '=', past)
    .where('userId', '=', neighbours[2]!)
    .execute();

  // 集中服务日: the 15th and 25th of every month.
  const rule = await tx
    .insertInto('serviceDayRules')
    .values({
      communityId: community,
      teamId: null,
      title: '集中服务日 · 便民服务',
      description: '理发、磨刀、修家电、测血压，志愿者摆摊服务居民。',
      place: '社区广场',
      daysOfMonth: [15, 25],
      startTime: '09:00',
      durationMinutes: 180,
      capacity: 30,
      createdBy: secretary,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await generateServiceDays(tx, rule);

  // 积分商城. Its cheapest item is worth one confirmed 随手拍 report (PROBLEM_POINTS): the
  // rider, with points here and no role, can spend his.
  const items = await tx
    .insertInto('catalogueItems')
    .values([
      {
        communityId: community,
        name: '环保购物袋',
        description: '可折叠，印有社区标志',
        cost: 10,
        stock: 50,
      },
      {
        communityId: community,
        name: '理发服务券',
        description: '集中服务日使用',
        cost: 20,
        stock: 10,
      },
      { communityId: community, name: '洗衣液一瓶', description: '2 千克装', cost: 30, stock: 20 },
      {
        communityId: community,
        name: '爱心粮油套装',
        description: '大米 5 千克 + 食用油 1 升',
        cost: 80,
        stock: 3,
      },
      {
        communityId: community,
        name: '爱心驿站热饮券',
        description: '户外劳动者爱心驿站，凭券领一杯热饮',
        cost: 5,
        stock: 100,
      },
    ])
    .returning(['id', 'cost'])
    .execute();
  // 陈志愿 already spent 10 of their 30 points on a bag.
  const bag = items[0]!;
  const { id: redemptionId } = await tx
    .insertInto('redemptions')
    .values({ itemId: bag.id, userId: volunteer, communityId: community, cost: bag.cost })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('catalogueItems')
    .set((eb) => ({ stock: eb('stock', '-', 1) }))
    .where('id', '=', bag.id)
    .execute();
  await tx
    .insertInto('pointsLedger')
    .values({
      userId: volunteer,
      communityId: community,
      delta: -bag.cost,
      reason: 'redemption',
      redemptionId,
      balanceAfter: 30 - bag.cost,
      createdBy: volunteer,
    })
    .execute();
}
