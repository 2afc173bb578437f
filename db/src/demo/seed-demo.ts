import type { Role } from '@tongxin/shared/roles';
import type { Db, DbOrTx } from '../create-db.ts';
import type { PlacesTable } from '../database.ts';
import { writeAudit } from '../audit/audit.queries.ts';
import { sql, type Insertable } from 'kysely';
import { seedClaims } from './seed-claims.ts';
import { seedRoundtableAct } from './seed-roundtable-act.ts';
import { seedRoundtableStages } from './seed-roundtable-stages.ts';
import { seedRoundtables } from './seed-roundtables.ts';
import { seedTeams } from './seed-teams.ts';
import { seedProblems } from './seed-problems.ts';
import { seedProblemRaised } from './seed-problem-raised.ts';
import { seedHandoff } from './seed-handoff.ts';
import { seedReminders } from './seed-reminders.ts';

export const DEMO_PASSWORD = 'tongxin-demo';

export interface DemoAccount {
  username: string;
  displayName: string;
  /** None for a delivery rider: an account with no role anywhere can still report problems. */
  role: Role | null;
  place: string;
  unit?: string;
}

/** One account per role, each scoped where a real one would be. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'resident', displayName: '张阿姨', role: 'resident', place: '阳光花园' },
  { username: 'resident2', displayName: '刘大爷', role: 'resident', place: '玻璃厂小区' },
  { username: 'secretary', displayName: '李书记', role: 'secretary', place: '幸福社区' },
  { username: 'scribe', displayName: '赵记录', role: 'scribe', place: '幸福社区' },
  { username: 'volunteer', displayName: '陈志愿', role: 'volunteer', place: '幸福社区' },
  { username: 'leader', displayName: '孙队长', role: 'team_leader', place: '幸福社区' },
  {
    username: 'unitrep',
    displayName: '周代表',
    role: 'unit_rep',
    place: '幸福社区',
    unit: '区供电公司',
  },
  { username: 'member', displayName: '吴党员', role: 'party_member', place: '幸福社区' },
  { username: 'organiser', displayName: '王部长', role: 'organiser', place: '同心区' },
  { username: 'gridworker', displayName: '郑网格员', role: 'grid_worker', place: '第一网格' },
  { username: 'gridworker2', displayName: '钱网格员', role: 'grid_worker', place: '第二网格' },
  { username: 'rider', displayName: '骑手小马', role: null, place: '幸福社区' },
];

type PlaceSeed = { name: string; kind: PlacesTable['kind']; children?: PlaceSeed[] };

const buildings = (n: number): PlaceSeed[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${i + 1}号楼`, kind: 'building' }));

const PLACES: PlaceSeed = {
  name: '同心区',
  kind: 'district',
  children: [
    {
      name: '滨海街道',
      kind: 'subdistrict',
      children: [
        {
          name: '幸福社区',
          kind: 'community',
          children: [
            { name: '阳光花园', kind: 'compound', children: buildings(3) },
            { name: '玻璃厂小区', kind: 'compound', children: buildings(2) },
            { name: '第一网格', kind: 'grid' },
            { name: '第二网格', kind: 'grid' },
          ],
        },
        {
          name: '和平社区',
          kind: 'community',
          children: [
            { name: '和平里', kind: 'compound', children: buildings(2) },
            { name: '和平网格', kind: 'grid' },
          ],
        },
      ],
    },
  ],
};

const UNITS = [
  { name: '区供电公司', kind: 'enterprise' as const },
  { name: '区城市管理局', kind: 'agency' as const },
  { name: '阳光物业服务有限公司', kind: 'property_company' as const },
];

async function insertPlaces(
  tx: DbOrTx,
  seed: PlaceSeed,
  parentId: string | null,
  ids: Map<string, string>,
) {
  const row: Insertable<PlacesTable> = { name: seed.name, kind: seed.kind, parentId, gridId: null };
  const { id } = await tx
    .insertInto('places')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  if (!ids.has(seed.name)) ids.set(seed.name, id);
  for (const child of seed.children ?? []) await insertPlaces(tx, child, id, ids);
}

/**
 * Fills an empty database with a small district and one account per role. Does nothing
 * when places exist already, so every start after the first reuses what is there — without
 * hashing the demo password either (argon2 costs a noticeable part of a start).
 */
export async function seedDemo(
  db: Db,
  hashDemoPassword: () => Promise<string>,
): Promise<'seeded' | 'present'> {
  return db.transaction().execute(async (tx) => {
    // Several instances started together on one empty database: one seeds, the others wait
    // here, then find the places and go on.
    await sql`select pg_advisory_xact_lock(hashtextextended('tongxin:seed-demo', 0))`.execute(tx);
    const existing = await tx.selectFrom('places').select('id').limit(1).executeTakeFirst();
    if (existing) return 'present';
    const passwordHash = await hashDemoPassword();
    const places = new Map<string, string>();
    await insertPlaces(tx, PLACES, null, places);
    // Buildings of 阳光花园 belong to the first grid: grids group buildings.
    const sunshine = places.get('阳光花园')!;
    await tx
      .updateTable('places')
      .set({ gridId: places.get('第一网格')! })
      .where('parentId', '=', sunshine)
      .where('kind', '=', 'building')
      .execute();
    const units = new Map<string, string>();
    for (const unit of UNITS) {
      const { id } = await tx
        .insertInto('units')
        .values(unit)
        .returning('id')
        .executeTakeFirstOrThrow();
      units.set(unit.name, id);
    }
    const users = new Map<string, string>();
    for (const account of DEMO_ACCOUNTS) {
      const user = await tx
        .insertInto('users')
        .values({
          username: account.username,
          displayName: account.displayName,
          passwordHash,
          phone: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      users.set(account.username, user.id);
      const placeId = places.get(account.place)!;
      if (!account.role) continue;
      await tx
        .insertInto('roleAssignments')
        .values({
          userId: user.id,
          role: account.role,
          placeId,
          unitId: account.unit ? units.get(account.unit)! : null,
        })
        .execute();
      // Everyone with a community role also lives somewhere: they are residents there too.
      if (!['resident', 'organiser', 'grid_worker'].includes(account.role)) {
        await tx
          .insertInto('roleAssignments')
          .values({ userId: user.id, role: 'resident', placeId, unitId: null })
          .execute();
      }
    }
    await seedRoundtables(tx, users, places);
    await seedClaims(tx, users, places, units, passwordHash);
    await seedTeams(tx, users, places, passwordHash);
    await seedRoundtableStages(tx, { users, places, units });
    await seedRoundtableAct(tx, { users, places, units });
    await seedHandoff(tx, { users, places, units });
    await seedProblems(tx, { users, places });
    await seedProblemRaised(tx, users);
    await seedReminders(tx, { users, places, units });
    await writeAudit(tx, {
      actorId: null,
      action: 'demo.seed',
      targetType: 'database',
      details: { accounts: DEMO_ACCOUNTS.length },
    });
    return 'seeded';
  });
}
