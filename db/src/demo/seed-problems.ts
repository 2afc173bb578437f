import type { ProblemCategory, ProblemStatus } from '@tongxin/shared/problems/problems';
import { PROBLEM_LIMITS, PROBLEM_POINTS } from '@tongxin/shared/problems/problems';
import type { Tx } from '../create-db.ts';
import type { ProblemEventKind } from '../problems/problems.tables.ts';
import { appendLedger } from '../teams/points.queries.ts';

interface Ids {
  users: Map<string, string>;
  places: Map<string, string>;
}

interface ReportSeed {
  by: string;
  category: ProblemCategory;
  description: string;
  /** A compound, or `compound/building`. */
  place: string;
  location?: string;
  hoursAgo: number;
  status: ProblemStatus;
  handler?: string;
  /** The history after "submitted": who did what, hours ago, with a note. */
  steps?: Array<{ kind: ProblemEventKind; by: string | null; hoursAgo: number; note?: string }>;
  declineReason?: string;
  rating?: 'satisfied' | 'basically_satisfied' | 'dissatisfied';
  escalated?: boolean;
  mergedInto?: number;
  alsoFollowing?: string[];
}

const H = 3600_000;

/**
 * 随手拍 in every state, in 幸福社区: one overdue and escalated (a rider's broken manhole
 * cover), fresh, accepted, in hand, resolved awaiting the reporter, confirmed with points (one
 * of them the rider's, so he has points there without a role), declined with a reason, and a
 * duplicate merged into another.
 */
const REPORTS: ReportSeed[] = [
  {
    by: 'rider',
    category: 'safety_hazard',
    description: '阳光花园 1 号楼东侧井盖破损，晚上看不清，电动车差点掉进去。',
    place: '阳光花园/1号楼',
    location: '1 号楼东侧人行道',
    hoursAgo: 5,
    status: 'submitted',
    escalated: true,
  },
  {
    by: 'resident',
    category: 'ebike_charging',
    description: '2 号楼楼道里有人拉飞线给电动车充电，很危险。',
    place: '阳光花园/2号楼',
    location: '2 号楼 1 单元楼道',
    hoursAgo: 3,
    status: 'submitted',
    alsoFollowing: ['resident2'],
  },
  {
    by: 'resident2',
    category: 'ebike_charging',
    description: '2 号楼有人从窗户拉电线下来充电。',
    place: '阳光花园/2号楼',
    hoursAgo: 2,
    status: 'merged',
    mergedInto: 1,
    steps: [{ kind: 'merged', by: 'gridworker', hoursAgo: 1 }],
  },
  {
    by: 'resident2',
    category: 'rubbish',
    description: '玻璃厂小区南门垃圾桶满了三天没人清运，味道很大。',
    place: '玻璃厂小区',
    location: '南门垃圾投放点',
    hoursAgo: 20,
    status: 'accepted',
    handler: 'secretary',
    steps: [{ kind: 'accepted', by: 'secretary', hoursAgo: 18 }],
  },
  {
    by: 'resident',
    category: 'stray_animals',
    description: '阳光花园小广场有几只流浪狗，晚上追着老人叫。',
    place: '阳光花园',
    location: '小广场',
    hoursAgo: 50,
    status: 'in_hand',
    handler: 'gridworker',
    steps: [
      { kind: 'accepted', by: 'gridworker', hoursAgo: 46 },
      { kind: 'started', by: 'gridworker', hoursAgo: 30, note: '已联系区动物收容站，周四上门。' },
    ],
  },
  {
    by: 'volunteer',
    category: 'broken_facility',
    description: '阳光花园 3 号楼门口路灯不亮了。',
    place: '阳光花园/3号楼',
    hoursAgo: 72,
    status: 'resolved',
    handler: 'gridworker',
    steps: [
      { kind: 'accepted', by: 'gridworker', hoursAgo: 70 },
      { kind: 'resolved', by: 'gridworker', hoursAgo: 4, note: '物业已更换灯泡，晚上亮了。' },
    ],
  },
  {
    by: 'resident',
    category: 'broken_facility',
    description: '阳光花园 1 号楼单元门的门禁坏了，关不上。',
    place: '阳光花园/1号楼',
    hoursAgo: 240,
    status: 'confirmed',
    handler: 'gridworker',
    rating: 'satisfied',
    steps: [
      { kind: 'accepted', by: 'gridworker', hoursAgo: 236 },
      { kind: 'resolved', by: 'gridworker', hoursAgo: 200, note: '已请物业换了新的门禁锁。' },
      { kind: 'confirmed', by: 'resident', hoursAgo: 190, note: '修好了，谢谢！' },
    ],
  },
  {
    by: 'resident2',
    category: 'parking',
    description: '小区外面马路上总有外来车辆乱停。',
    place: '玻璃厂小区',
    hoursAgo: 120,
    status: 'declined',
    handler: 'secretary',
    declineReason: '小区外的市政道路归交警管理，已转告辖区交警中队；也可拨打 12345 反映。',
    steps: [
      {
        kind: 'declined',
        by: 'secretary',
        hoursAgo: 118,
        note: '小区外的市政道路归交警管理，已转告辖区交警中队；也可拨打 12345 反映。',
      },
    ],
  },
  // The rider's earlier report, fixed and confirmed: his 5 points, no role in the community,
  // and something in its 积分商城 they cover (爱心驿站热饮券, seed-teams.ts).
  {
    by: 'rider',
    category: 'parking',
    description: '玻璃厂小区北门消防通道被私家车堵住了，送餐的电动车进不去，消防车更进不去。',
    place: '玻璃厂小区',
    location: '北门消防通道',
    hoursAgo: 336,
    status: 'confirmed',
    handler: 'secretary',
    rating: 'satisfied',
    steps: [
      { kind: 'accepted', by: 'secretary', hoursAgo: 335 },
      {
        kind: 'resolved',
        by: 'secretary',
        hoursAgo: 330,
        note: '已联系车主挪车，通道口画了禁停线、立了禁停牌。',
      },
      { kind: 'confirmed', by: 'rider', hoursAgo: 320, note: '通了，谢谢！' },
    ],
  },
];

export async function seedProblems(tx: Tx, { users, places }: Ids) {
  const communityId = places.get('幸福社区')!;
  const now = Date.now();
  const ids: string[] = [];
  for (const seed of REPORTS) {
    const [compound, building] = seed.place.split('/');
    const compoundId = places.get(compound!)!;
    const placeId = building
      ? (
          await tx
            .selectFrom('places')
            .select(['id', 'gridId'])
            .where('parentId', '=', compoundId)
            .where('name', '=', building)
            .executeTakeFirstOrThrow()
        ).id
      : compoundId;
    const grid = await tx
      .selectFrom('places')
      .select('gridId')
      .where('id', '=', placeId)
      .executeTakeFirstOrThrow();
    const createdAt = new Date(now - seed.hoursAgo * H);
    const limits = PROBLEM_LIMITS[seed.category];
    const accepted = seed.steps?.find((s) => s.kind === 'accepted');
    const { id } = await tx
      .insertInto('problemReports')
      .values({
        communityId,
        reporterId: users.get(seed.by)!,
        category: seed.category,
        description: seed.description,
        placeId,
        location: seed.location ?? null,
        gridId: grid.gridId,
        status: seed.status,
        handlerId: seed.handler ? users.get(seed.handler)! : null,
        declineReason: seed.declineReason ?? null,
        mergedInto: seed.mergedInto !== undefined ? ids[seed.mergedInto]! : null,
        respondBy: new Date(createdAt.getTime() + limits.respondHours * H),
        resolveBy: accepted
          ? new Date(now - accepted.hoursAgo * H + limits.resolveDays * 24 * H)
          : null,
        escalatedAt: seed.escalated ? new Date(now - (seed.hoursAgo - 2) * H) : null,
        rating: seed.rating ?? null,
        createdAt,
        updatedAt: new Date(
          now - Math.min(seed.hoursAgo, ...(seed.steps ?? []).map((s) => s.hoursAgo)) * H,
        ),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(id);
    const followers = [seed.by, ...(seed.alsoFollowing ?? [])].map((u) => users.get(u)!);
    await tx
      .insertInto('problemFollowers')
      .values(followers.map((userId) => ({ problemId: id, userId, createdAt })))
      .execute();
    const steps = [
      { kind: 'submitted' as const, by: seed.by, hoursAgo: seed.hoursAgo, note: undefined },
      ...(seed.escalated
        ? [{ kind: 'escalated' as const, by: null, hoursAgo: seed.hoursAgo - 2, note: undefined }]
        : []),
      ...(seed.steps ?? []),
    ];
    await tx
      .insertInto('problemEvents')
      .values(
        steps.map((s) => ({
          problemId: id,
          actorId: s.by ? users.get(s.by)! : null,
          kind: s.kind,
          note: s.note ?? null,
          createdAt: new Date(now - s.hoursAgo * H),
        })),
      )
      .execute();
    if (seed.status === 'confirmed')
      await appendLedger(tx, {
        userId: users.get(seed.by)!,
        communityId,
        delta: PROBLEM_POINTS,
        reason: 'problem_report',
        problemId: id,
        createdBy: users.get(seed.by)!,
      });
  }
}
