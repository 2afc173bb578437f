import type { Tx } from '../create-db.ts';
import { attachPhotos, insertPhoto } from '../photos/photos.queries.ts';
import { copyProblemPhotosToTopic, linkProblemToTopic } from '../problems/raise.queries.ts';
import { insertCosign, insertTopic } from '../roundtables/topics.queries.ts';
import { demoCorridorPng } from './demo-photo.ts';

const H = 3600_000;

/**
 * 随手拍 → 圆桌会: the fresh report of wires run down 2 号楼's stairwell to charge e-bikes (with
 * 刘大爷's duplicate merged into it) carries 张阿姨's photo, and 郑网格员 raised it an hour ago to
 * 阳光花园停车与电动车充电, the roundtable collecting topics (提事): a topic waiting to be
 * screened, its photo copied, both reporters co-signing, linked both ways; accepted by the raise. Runs after
 * seedRoundtables and seedProblems.
 */
export async function seedProblemRaised(tx: Tx, users: Map<string, string>) {
  const report = await tx
    .selectFrom('problemReports')
    .select(['id', 'description', 'reporterId'])
    .where('description', '=', '2 号楼楼道里有人拉飞线给电动车充电，很危险。')
    .executeTakeFirstOrThrow();
  const roundtable = await tx
    .selectFrom('roundtables')
    .select(['id', 'title'])
    .where('title', '=', '阳光花园停车与电动车充电')
    .where('stage', '=', 'raise')
    .executeTakeFirstOrThrow();
  const photo = await insertPhoto(tx, {
    uploadedBy: report.reporterId,
    contentType: 'image/png',
    bytes: demoCorridorPng(),
    width: 320,
    height: 240,
  });
  await attachPhotos(tx, [photo], { problemId: report.id });

  const workerId = users.get('gridworker')!;
  const topicId = await insertTopic(tx, {
    roundtableId: roundtable.id,
    raisedBy: workerId,
    title: '2 号楼楼道里有人拉飞线给电动车充电，很危险。',
    description: `${report.description}\n\n地点：幸福社区 · 阳光花园 · 2号楼 · 2 号楼 1 单元楼道`,
    category: 'ebike_charging',
    location: '阳光花园 · 2号楼 · 2 号楼 1 单元楼道',
  });
  await copyProblemPhotosToTopic(tx, report.id, topicId);
  const followers = await tx
    .selectFrom('problemFollowers')
    .select('userId')
    .where('problemId', '=', report.id)
    .execute();
  for (const { userId } of followers) await insertCosign(tx, topicId, userId);
  await linkProblemToTopic(tx, report.id, topicId);
  // Raising answered it (as the raise command does): accepted by the grid worker, then raised.
  await tx
    .updateTable('problemReports')
    .set({ status: 'accepted', handlerId: workerId })
    .where('id', '=', report.id)
    .execute();
  const raisedAt = Date.now() - H;
  await tx
    .insertInto('problemEvents')
    .values([
      {
        problemId: report.id,
        actorId: workerId,
        kind: 'accepted',
        createdAt: new Date(raisedAt - 1000),
      },
      {
        problemId: report.id,
        actorId: workerId,
        kind: 'raised',
        note: roundtable.title,
        createdAt: new Date(raisedAt),
      },
    ])
    .execute();
}
