import { minutesDoc } from '@tongxin/shared/live/documents';
import * as Y from 'yjs';
import { satisfactionRate } from '@tongxin/shared/roundtables/action-items';
import { minutesTextKey } from '@tongxin/shared/roundtables/floor.schemas';
import { TOPIC_CATEGORY_NAMES } from '@tongxin/shared/roundtables/topics';
import { tallyOf, voteOptions } from '@tongxin/shared/roundtables/votes';
import type { DbOrTx } from '@tongxin/db/create-db';
import { photoIdsOf } from '@tongxin/db/photos/photos.queries';
import {
  actionItemsOf,
  agendaOf,
  latestMinutesVersion,
  proposalsOf,
} from '@tongxin/db/roundtables/room.queries';
import type { RoundtableRow } from '@tongxin/db/roundtables/roundtables.queries';
import {
  closedBallotCounts,
  closedHandCounts,
  votesOfRoundtable,
} from '@tongxin/db/roundtables/views.queries';
import { problemsOfTopics } from '@tongxin/db/problems/raise.queries';
import { handoffsOf } from '@tongxin/db/roundtables/handoff.queries';
import type { HandoffState } from '@tongxin/shared/roundtables/handoff';
import type { App } from '../http/types.ts';
import { mdBlock, mdInline } from './markdown.ts';
import type { ResultView } from '@tongxin/shared/roundtables/result.schemas';
import { CHINA_TIME_ZONE } from '@tongxin/shared/time/china';

const STATUS_WORDS = {
  pending: '待办',
  in_progress: '办理中',
  blocked: '受阻',
  done: '已办结',
} as const;

const HANDOFF_WORDS: Record<HandoffState, string> = {
  open: '待认领',
  claimed: '已认领',
  in_progress: '实施中',
  delivered: '已交付，待社区确认',
  confirmed: '社区已确认',
  scheduled: '待开展',
  completed: '已完成',
  cancelled: '已取消',
};

/** The minutes as they stand in the live document, one section per agenda topic. */
export async function currentMinutes(app: App, roundtableId: string): Promise<string> {
  const agenda = await agendaOf(app.db, roundtableId);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await app.live.state(minutesDoc(roundtableId)));
  const sections = agenda.map((t, i) => {
    const text = doc.getText(minutesTextKey(t.id)).toString().trim();
    return `### ${i + 1}. ${t.title}\n\n${text || '（无记录）'}`;
  });
  doc.destroy();
  return sections.join('\n\n');
}

/** The public result (公示): topics, resolutions, votes, items, ratings and the minutes. */
export async function loadResult(db: DbOrTx, row: RoundtableRow): Promise<ResultView> {
  const [agenda, items, votes, minutes] = await Promise.all([
    agendaOf(db, row.id),
    actionItemsOf(db, row.id),
    votesOfRoundtable(db, row.id),
    latestMinutesVersion(db, row.id),
  ]);
  const closed = votes.filter((v) => v.status === 'closed');
  const [ballots, hands, proposals] = await Promise.all([
    closedBallotCounts(db, row.id),
    closedHandCounts(db, row.id),
    proposalsOf(
      db,
      closed.map((v) => v.topicId),
    ),
  ]);
  const countsOf = (rows: { voteId: string; option: string; count: number }[], voteId: string) =>
    new Map(rows.filter((r) => r.voteId === voteId).map((r) => [r.option, Number(r.count)]));
  const voteView = (v: (typeof closed)[number]) => {
    const options = voteOptions(
      v.kind,
      proposals.filter((p) => p.topicId === v.topicId),
    );
    const { tally } = tallyOf(options, countsOf(ballots, v.id), countsOf(hands, v.id));
    return { question: v.question, counted: v.counted ?? 0, options, tally };
  };
  const topicIds = agenda.map((t) => t.id);
  const [photos, problems, handoffs] = await Promise.all([
    photoIdsOf(db, 'topicId', topicIds),
    problemsOfTopics(db, topicIds),
    handoffsOf(
      db,
      items.map((i) => i.id),
    ),
  ]);
  return {
    id: row.id,
    title: row.title,
    localName: row.localName,
    location: row.location,
    startsAt: row.startsAt.toISOString(),
    stage: row.stage,
    place: row.placeName,
    chair: row.chairName,
    topics: agenda.map((t) => ({
      id: t.id,
      title: t.title,
      category: t.category,
      raisedBy: t.raiserName,
      cosigns: t.cosignCount,
      deferred: t.deferred,
      resolution: t.resolution,
      photoIds: photos.get(t.id) ?? [],
      fromProblemId: problems.get(t.id) ?? null,
      votes: closed.filter((v) => v.topicId === t.id).map(voteView),
      items: items
        .filter((i) => i.topicId === t.id)
        .map((i) => {
          const ratings = {
            satisfied: Number(i.satisfied ?? 0),
            basically_satisfied: Number(i.basicallySatisfied ?? 0),
            dissatisfied: Number(i.dissatisfied ?? 0),
          };
          return {
            id: i.id,
            title: i.title,
            owner: i.owner,
            deadline: i.deadline,
            status: i.status,
            ratings,
            satisfaction: satisfactionRate(ratings),
            handoff: handoffs.get(i.id) ?? null,
          };
        }),
    })),
    minutes: minutes
      ? { text: minutes.text, final: minutes.kind === 'final', at: minutes.createdAt.toISOString() }
      : null,
  };
}

/** The same result as Markdown, for the notice board and the archive. */
export function resultMarkdown(r: ResultView): string {
  const day = new Date(r.startsAt).toLocaleString('zh-CN', {
    timeZone: CHINA_TIME_ZONE,
    dateStyle: 'long',
    timeStyle: 'short',
  });
  const out = [
    `# ${mdInline(r.localName)}：${mdInline(r.title)}`,
    '',
    `- 地点：${mdInline(r.place)} · ${mdInline(r.location)}`,
    `- 时间：${day}`,
    `- 主持人：${mdInline(r.chair)}`,
    '',
    '## 议题与议定事项',
  ];
  r.topics.forEach((t, i) => {
    out.push(
      '',
      `### ${i + 1}. ${mdInline(t.title)}`,
      '',
      `- 类别：${TOPIC_CATEGORY_NAMES[t.category]} · 提出人：${mdInline(t.raisedBy)} · 附议 ${t.cosigns} 人`,
    );
    for (const v of t.votes) {
      const parts = v.options.map((o) => `${mdInline(o.label)} ${v.tally[o.key] ?? 0}`);
      out.push(`- 表决「${mdInline(v.question)}」：${parts.join('，')}（共 ${v.counted} 人）`);
    }
    out.push(
      `- 议定事项：${t.resolution !== null ? mdInline(t.resolution) : t.deferred ? '暂缓，下次再议' : '（未形成）'}`,
    );
    for (const item of t.items) {
      const rate =
        item.satisfaction === null ? '尚无评价' : `满意率 ${Math.round(item.satisfaction * 100)}%`;
      out.push(
        `  - 办理：${mdInline(item.title)} —— ${mdInline(item.owner)}，${mdInline(item.deadline)} 前，${STATUS_WORDS[item.status]}；${rate}`,
      );
      const h = item.handoff;
      if (h)
        out.push(
          `    - ${h.kind === 'project' ? '双报到项目' : '志愿活动'}：${mdInline(h.title)}，${HANDOFF_WORDS[h.state]}${h.claimant ? `（${mdInline(h.claimant)}认领）` : ''}`,
        );
    }
  });
  out.push('', '## 会议纪要', '', r.minutes ? minutesMarkdown(r) : '（纪要尚未定稿）', '');
  return out.join('\n');
}

/**
 * The minutes' text as Markdown: typed by the scribe, so every line is escaped, except the
 * headings `currentMinutes` wrote for the agenda (`### 2. <topic title>`), which stay headings.
 */
function minutesMarkdown(r: ResultView): string {
  const headings = new Map(r.topics.map((t, i) => [`### ${i + 1}. ${t.title}`, i]));
  return r
    .minutes!.text.split(/\r?\n/)
    .map((line) => {
      const i = headings.get(line);
      return i === undefined ? mdBlock(line) : `### ${i + 1}. ${mdInline(r.topics[i]!.title)}`;
    })
    .join('\n');
}
