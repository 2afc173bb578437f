import { minutesDoc } from '@tongxin/shared/live/documents';
import * as Y from 'yjs';
import { minutesTextKey } from '@tongxin/shared/roundtables/floor.schemas';
import type { DbOrTx } from '../create-db.ts';
import { appendLiveUpdates } from '../live/live-documents.queries.ts';
import { attachPhotos, insertPhoto } from '../photos/photos.queries.ts';
import { demoCorridorPng } from './demo-photo.ts';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const dayString = (date: Date) => date.toISOString().slice(0, 10);

interface Ids {
  users: Map<string, string>;
  places: Map<string, string>;
  units: Map<string, string>;
}

async function agendaTopic(
  tx: DbOrTx,
  roundtableId: string,
  raisedBy: string,
  chairId: string,
  position: number,
  topic: {
    title: string;
    description: string;
    category: 'parking' | 'ebike_charging' | 'stray_animals' | 'rubbish_sorting';
  },
) {
  const row = await tx
    .insertInto('topics')
    .values({
      roundtableId,
      raisedBy,
      ...topic,
      status: 'accepted',
      agendaPosition: position,
      screenedBy: chairId,
      screenedAt: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Three more roundtables, so a newcomer sees every stage: one live now (议事, with people
 * present, a speaker, a queue and an open vote), one in 评事 (items done, ratings coming in,
 * minutes open for amendment), and one closed with its public result (公示).
 */
export async function seedRoundtableStages(tx: DbOrTx, { users, places, units }: Ids) {
  const chairId = users.get('secretary')!;
  const community = places.get('幸福社区')!;
  const volunteers = await tx
    .selectFrom('users')
    .select(['id', 'displayName'])
    .where('username', 'like', 'demo_vol%')
    .orderBy('username')
    .execute();
  const residents = [
    users.get('resident')!,
    users.get('resident2')!,
    users.get('volunteer')!,
    users.get('member')!,
    ...volunteers.map((v) => v.id),
  ];
  const names = new Map(
    (
      await tx
        .selectFrom('users')
        .select(['id', 'displayName'])
        .where('id', 'in', residents)
        .execute()
    ).map((u) => [u.id, u.displayName]),
  );
  const property = units.get('阳光物业服务有限公司')!;
  const convene = async (values: {
    title: string;
    localName: string;
    location: string;
    startsAt: Date;
    stage: 'discuss' | 'review' | 'closed';
    placeId?: string;
  }) => {
    const { placeId, ...rest } = values;
    const row = await tx
      .insertInto('roundtables')
      .values({ ...rest, placeId: placeId ?? community, chairId, quorum: 5, timerSeconds: 180 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('roundtableUnits')
      .values({ roundtableId: row.id, unitId: property })
      .execute();
    return row.id;
  };
  const present = (roundtableId: string, ids: string[]) =>
    tx
      .insertInto('attendance')
      .values(
        ids.map((userId, i) => ({
          roundtableId,
          userId,
          name: names.get(userId)!,
          part: 'participant' as const,
          how: i % 2 ? ('app' as const) : ('qr' as const),
        })),
      )
      .execute();

  // ── Live now: 议事 on e-bike charging at 玻璃厂小区 ───────────────────────────
  const live = await convene({
    title: '电动车充电难',
    localName: '居民恳谈会',
    location: '社区党群服务中心一楼大厅',
    startsAt: new Date(Date.now() - 30 * 60_000),
    stage: 'discuss',
  });
  const charging = await agendaTopic(tx, live, users.get('resident2')!, chairId, 1, {
    title: '楼道里给电动车充电太危险',
    description: '晚上很多人把电瓶拎上楼充电，去年隔壁小区就着过火。',
    category: 'ebike_charging',
  });
  const corridor = await insertPhoto(tx, {
    uploadedBy: users.get('resident2')!,
    contentType: 'image/png',
    bytes: demoCorridorPng(),
    width: 320,
    height: 240,
  });
  await attachPhotos(tx, [corridor], { topicId: charging });
  await agendaTopic(tx, live, users.get('resident')!, chairId, 2, {
    title: '充电桩收费标准',
    description: '希望收费透明、价格合理。',
    category: 'ebike_charging',
  });
  await tx
    .updateTable('roundtables')
    .set({ currentTopicId: charging })
    .where('id', '=', live)
    .execute();
  // Eight checked in (QR code or 我到场了) and 钱奶奶 marked by hand: nine present. Other
  // demo accounts (`leader`, `scribe`) have not checked in, and opening the room does not.
  await present(live, residents.slice(0, 8));
  await tx
    .insertInto('attendance')
    .values({
      roundtableId: live,
      userId: null,
      name: '钱奶奶',
      part: 'participant',
      how: 'hand',
      markedBy: chairId,
    })
    .execute();
  const proposals = await tx
    .insertInto('proposals')
    .values([
      {
        topicId: charging,
        text: '在小区东门空地建集中充电棚，装 20 个智能充电口',
        proposedBy: users.get('resident2')!,
      },
      {
        topicId: charging,
        text: '先在 1 号楼、2 号楼之间装 10 个充电口试点',
        proposedBy: users.get('member')!,
      },
    ])
    .returning('id')
    .execute();
  await tx
    .insertInto('speakingTurns')
    .values([
      {
        roundtableId: live,
        userId: users.get('member')!,
        status: 'speaking',
        startedAt: new Date(Date.now() - 70_000),
      },
      { roundtableId: live, userId: users.get('resident')! },
    ])
    .execute();
  const vote = await tx
    .insertInto('votes')
    .values({
      roundtableId: live,
      topicId: charging,
      question: '选择哪个充电方案？',
      kind: 'choice',
      hiddenTally: false,
      openedBy: chairId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('ballots')
    .values(
      residents.slice(2, 6).map((userId, i) => ({
        voteId: vote.id,
        userId,
        choice: null,
        proposalId: proposals[i % 3 === 0 ? 1 : 0]!.id,
      })),
    )
    .execute();

  // ── 评事: rubbish sorting at 阳光花园 ────────────────────────────────────────
  const review = await convene({
    title: '阳光花园垃圾分类点位调整',
    localName: '幸福家园圆桌会',
    location: '社区党群服务中心二楼',
    startsAt: ago(20),
    stage: 'review',
    placeId: places.get('阳光花园')!,
  });
  const bins = await agendaTopic(tx, review, users.get('resident')!, chairId, 1, {
    title: '3号楼前垃圾桶太臭',
    description: '夏天味道很大，希望挪到空地并定时清洗。',
    category: 'rubbish_sorting',
  });
  await present(review, residents.slice(0, 6));
  const resolved = await tx
    .insertInto('resolutions')
    .values({
      topicId: bins,
      text: '垃圾分类点移到3号楼东侧空地，物业每天清洗一次。',
      recordedBy: chairId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const [move, wash] = await tx
    .insertInto('actionItems')
    .values([
      {
        roundtableId: review,
        resolutionId: resolved.id,
        title: '搬迁垃圾分类点并加装雨棚',
        ownerKind: 'unit',
        ownerUnitId: property,
        deadline: dayString(ago(5)),
        status: 'done',
        createdBy: chairId,
      },
      {
        roundtableId: review,
        resolutionId: resolved.id,
        title: '每天清洗垃圾桶，张贴清洗记录',
        ownerKind: 'unit',
        ownerUnitId: property,
        deadline: dayString(ago(-10)),
        status: 'done',
        createdBy: chairId,
      },
    ])
    .returning('id')
    .execute();
  const unitRep = users.get('unitrep')!;
  await tx
    .insertInto('actionUpdates')
    .values([
      {
        itemId: move!.id,
        authorId: unitRep,
        note: '新点位已建好，雨棚装完，旧点位已清理。',
        status: 'done',
        createdAt: ago(6),
      },
      {
        itemId: wash!.id,
        authorId: unitRep,
        note: '清洗记录贴在分类点旁，每天傍晚 6 点清洗。',
        status: 'done',
        createdAt: ago(2),
      },
    ])
    .execute();
  await tx
    .insertInto('ratings')
    .values([
      {
        itemId: move!.id,
        round: 1,
        userId: users.get('resident')!,
        rating: 'satisfied',
        comment: '没有味道了',
      },
      {
        itemId: move!.id,
        round: 1,
        userId: users.get('volunteer')!,
        rating: 'basically_satisfied',
        comment: '',
      },
      {
        itemId: wash!.id,
        round: 1,
        userId: users.get('member')!,
        rating: 'satisfied',
        comment: '',
      },
    ])
    .execute();
  await tx
    .updateTable('roundtables')
    .set({ minutesAmendUntil: new Date(Date.now() + 2 * DAY) })
    .where('id', '=', review)
    .execute();
  // The draft under amendment is what the live minutes said when the chair opened it: the
  // room shows the live text and 公示 the draft, so both get the same words.
  const binsMinutes = '居民反映夏季异味大。物业同意搬迁分类点并每日清洗。';
  const binsDoc = new Y.Doc();
  binsDoc.getText(minutesTextKey(bins)).insert(0, binsMinutes);
  await appendLiveUpdates(tx, minutesDoc(review), [Y.encodeStateAsUpdate(binsDoc)]);
  binsDoc.destroy();
  await tx
    .insertInto('minutesVersions')
    .values({
      roundtableId: review,
      version: 1,
      kind: 'draft',
      text: `### 1. 3号楼前垃圾桶太臭\n\n${binsMinutes}`,
      createdBy: chairId,
    })
    .execute();

  // ── Closed, with its 公示: stray cats ───────────────────────────────────────
  const closed = await convene({
    title: '流浪猫治理',
    localName: '幸福家园圆桌会',
    location: '社区党群服务中心二楼',
    startsAt: ago(45),
    stage: 'closed',
  });
  const cats = await agendaTopic(tx, closed, users.get('volunteer')!, chairId, 1, {
    title: '小区流浪猫越来越多',
    description: '有居民投喂，也有居民被抓伤。',
    category: 'stray_animals',
  });
  await present(closed, residents.slice(0, 8));
  const closedVote = await tx
    .insertInto('votes')
    .values({
      roundtableId: closed,
      topicId: cats,
      question: '同意“绝育放归 + 固定投喂点”方案吗？',
      kind: 'yes_no',
      hiddenTally: true,
      openedBy: chairId,
      status: 'closed',
      closedAt: ago(45),
      counted: 9,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('ballots')
    .values(
      residents.slice(0, 8).map((userId, i) => ({
        voteId: closedVote.id,
        userId,
        choice: i < 6 ? ('support' as const) : i < 7 ? ('oppose' as const) : ('abstain' as const),
        proposalId: null,
      })),
    )
    .execute();
  await tx
    .insertInto('handCounts')
    .values({ voteId: closedVote.id, option: 'support', count: 1 })
    .execute();
  await tx
    .insertInto('attendance')
    .values({
      roundtableId: closed,
      userId: null,
      name: '孙奶奶',
      part: 'participant',
      how: 'hand',
      markedBy: chairId,
    })
    .execute();
  const catsResolution = await tx
    .insertInto('resolutions')
    .values({
      topicId: cats,
      text: '联系动物保护组织为流浪猫绝育放归，在小区北角设固定投喂点。',
      voteId: closedVote.id,
      recordedBy: chairId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const team = await tx
    .selectFrom('teams')
    .select('id')
    .where('communityId', '=', community)
    .orderBy('name')
    .executeTakeFirstOrThrow();
  const [neuter] = await tx
    .insertInto('actionItems')
    .values([
      {
        roundtableId: closed,
        resolutionId: catsResolution.id,
        title: '联系动保组织完成绝育',
        ownerKind: 'person',
        ownerUserId: users.get('volunteer')!,
        deadline: dayString(ago(20)),
        status: 'done',
        createdBy: chairId,
      },
      {
        roundtableId: closed,
        resolutionId: catsResolution.id,
        title: '设固定投喂点并每周清理',
        ownerKind: 'team',
        ownerTeamId: team.id,
        deadline: dayString(ago(25)),
        status: 'done',
        createdBy: chairId,
      },
    ])
    .returning('id')
    .execute();
  await tx
    .insertInto('ratings')
    .values(
      residents.slice(0, 5).map((userId, i) => ({
        itemId: neuter!.id,
        round: 1,
        userId,
        rating: i < 4 ? ('satisfied' as const) : ('basically_satisfied' as const),
        comment: '',
      })),
    )
    .execute();
  await tx
    .updateTable('roundtables')
    .set({ minutesAmendUntil: ago(30), minutesFrozenAt: ago(28) })
    .where('id', '=', closed)
    .execute();
  await tx
    .insertInto('minutesVersions')
    .values({
      roundtableId: closed,
      version: 1,
      kind: 'final',
      text: '### 1. 小区流浪猫越来越多\n\n陈志愿介绍了投喂与伤人情况；吴党员建议“绝育放归”。表决：赞成 7，反对 1，弃权 1。\n议定：联系动保组织绝育放归，北角设固定投喂点，由志愿服务队每周清理。',
      createdBy: chairId,
    })
    .execute();
}
