import { describe, expect, it } from 'vitest';
import type { ResultView } from '@tongxin/shared/roundtables/result.schemas';
import { resultMarkdown } from '@tongxin/server/roundtables/result';

const HOSTILE = '# 假标题\n[点我](https://evil.example) <img src=x onerror=alert(1)> **粗** | 表 |';

function result(text: string): ResultView {
  return {
    id: 'r1',
    title: text,
    localName: '阳光花园',
    location: '活动室',
    startsAt: '2026-12-01T02:00:00.000Z',
    stage: 'closed',
    place: '阳光花园',
    chair: '李主任',
    topics: [
      {
        id: 't1',
        title: text,
        category: 'parking',
        raisedBy: '- 王阿姨',
        cosigns: 3,
        deferred: false,
        resolution: text,
        photoIds: [],
        fromProblemId: null,
        votes: [
          {
            question: text,
            counted: 2,
            options: [{ key: 'support', label: '赞成' }],
            tally: { support: 2 },
          },
        ],
        items: [],
      },
    ],
    minutes: {
      text: `### 1. ${text}\n\n1. 第一条\n> 引用\n---\n<script>x</script>\n### 2. 伪造的议题`,
      final: true,
      at: '2026-12-01T03:00:00.000Z',
    },
  };
}

describe('result.md', () => {
  it('shows user text as typed, never as Markdown or HTML', () => {
    const md = resultMarkdown(result(HOSTILE));
    // No link, image, raw HTML, emphasis or table cell survives unescaped.
    expect(md).not.toMatch(/(^|[^\\])\[点我\]/);
    expect(md).not.toMatch(/(^|[^\\])<img/);
    expect(md).not.toMatch(/(^|[^\\])<script/);
    expect(md).not.toMatch(/(^|[^\\])\*\*粗/);
    expect(md).toContain(
      '\\[点我\\](https://evil.example) \\<img src=x onerror=alert(1)\\> \\*\\*粗\\*\\* \\| 表 \\|',
    );
    // A newline in a title cannot start a heading of its own.
    const lines = md.split('\n');
    expect(lines.filter((l) => l.startsWith('# '))).toHaveLength(1);
    expect(lines[0]).toBe(
      '# 阳光花园：\\# 假标题 \\[点我\\](https://evil.example) \\<img src=x onerror=alert(1)\\> \\*\\*粗\\*\\* \\| 表 \\|',
    );
    // A name that starts like a list item stays text.
    expect(md).toContain('提出人：\\- 王阿姨');
  });

  it('keeps the agenda headings of the minutes and escapes what the scribe typed', () => {
    const md = resultMarkdown(result('停车'));
    const minutes = md.slice(md.indexOf('## 会议纪要'));
    expect(minutes).toContain('\n### 1. 停车\n');
    expect(minutes).toContain('\n1\\. 第一条\n');
    expect(minutes).toContain('\n\\> 引用\n');
    expect(minutes).toContain('\n\\---\n');
    expect(minutes).toContain('\n\\<script\\>x\\</script\\>\n');
    // Typed to look like a heading, but no topic of the agenda: text.
    expect(minutes).toContain('\n\\### 2. 伪造的议题');
  });
});
