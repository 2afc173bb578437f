import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';
import { LIVE } from '../support/live-wait.ts';

// Issue 15's guard: a whole meeting through the UI only, no API shortcuts. Four browsers: the
// chair's laptop (李书记), two phones (张阿姨, a resident, and 孙队长, who will own the action
// item) and the projector. Each step is checked on every other screen (how fast it arrives is
// measured by `npm run bench:meeting`; here the test waits for it, up to LIVE).

const app = useDemoApp();
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };
const TITLE = '楼道堆物清理';
const TOPIC = '5号楼楼道堆满杂物';
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const stageIs = (page: Page, name: string) =>
  page.locator('li[aria-current="step"]', { hasText: name }).waitFor(LIVE);

/** Moves the meeting on from the console, through its confirmation. */
async function advance(chair: Page, stage: string) {
  await chair.getByRole('button', { name: `进入下一阶段：${stage}` }).click();
  await chair.getByRole('dialog', { name: `进入“${stage}”阶段？` }).waitFor();
  await chair.getByRole('button', { name: `确认进入${stage}` }).click();
}

async function addPhoto(page: Page, name: string) {
  await page
    .locator('input[type=file]')
    .setInputFiles([{ name, mimeType: 'image/png', buffer: png }]);
  await page.getByText('已上传').waitFor();
}

describe('a whole meeting through the UI', () => {
  it('convenes, raises, screens, votes twice, resolves, acts, rates, and publishes', async () => {
    const chair = await app.signIn('secretary', LAPTOP);
    const [zhang, sun] = await Promise.all([
      app.signIn('resident', PHONE),
      app.signIn('leader', PHONE),
    ]);

    // ── Convene, inviting a unit ───────────────────────────────────────────────
    await chair.goto(`${app.url}/roundtables`);
    await chair.getByRole('link', { name: '召集圆桌会' }).click();
    await chair.getByLabel('主题').fill(TITLE);
    await chair.getByLabel('地点').fill('社区党群服务中心二楼');
    await chair.getByLabel('区城市管理局').check();
    await chair.getByRole('button', { name: '召集', exact: true }).click();
    await chair.getByRole('heading', { name: `主持台：${TITLE}` }).waitFor();
    await chair.getByText('邀请单位：区城市管理局').waitFor();
    const consoleUrl = chair.url();
    const id = new URL(consoleUrl).pathname.split('/')[2]!;

    const projector = await (
      await app.browser.newContext({
        viewport: { width: 1280, height: 720 },
        storageState: await chair.context().storageState(),
      })
    ).newPage();
    await projector.goto(`${app.url}/roundtables/${id}/projector`);
    await stageIs(projector, '提事');

    // The phones find it in their list and open the room.
    for (const phone of [zhang, sun]) {
      await phone.goto(`${app.url}/roundtables`);
      await phone.getByRole('link', { name: new RegExp(TITLE) }).click();
      await phone.getByRole('heading', { name: TITLE }).waitFor();
      await phone.getByText('邀请单位：区城市管理局').waitFor();
    }

    // ── 提事: 张阿姨 raises a topic with a photo; 孙队长 co-signs ─────────────
    await zhang.getByRole('textbox', { name: '议题', exact: true }).fill(TOPIC);
    await zhang.getByLabel('具体情况').fill('纸箱和旧家具堵住了消防通道。');
    await addPhoto(zhang, 'corridor.png');
    await zhang.getByRole('button', { name: '提交议题' }).click();
    await zhang.getByText(TOPIC).first().waitFor();

    // Live 提事: the topic and its co-sign count reach the other residents and the console
    // without a reload.
    await sun.getByText(TOPIC).first().waitFor(LIVE);
    const topicCard = sun.locator('li', { hasText: TOPIC });
    await topicCard.getByRole('button', { name: '附议' }).click();
    await topicCard.getByRole('button', { name: '已附议' }).waitFor();
    await zhang.getByText('张阿姨 提出 · 1 人附议').waitFor(LIVE);
    await chair.getByText(TOPIC).first().waitFor(LIVE);

    // ── Screen: onto the agenda ────────────────────────────────────────────────
    const screening = chair.locator('article', { hasText: TOPIC });
    await screening.getByText('1 人附议').waitFor();
    await screening.getByRole('button', { name: '列入议程' }).click();
    await chair.locator('ol li', { hasText: `1. ${TOPIC}` }).waitFor();

    // ── Advance to 议事, with confirmation ─────────────────────────────────────
    await advance(chair, '议事');
    await Promise.all([
      stageIs(chair, '议事'),
      stageIs(zhang, '议事'),
      stageIs(sun, '议事'),
      stageIs(projector, '议事'),
    ]);

    // ── Two votes in a row, both counted ───────────────────────────────────────
    // Each step is timed from when it has landed on the screen that made it.
    const chosen = chair.getByRole('button', { name: `1. ${TOPIC}` });
    await chosen.click();
    await expect.poll(() => chosen.getAttribute('aria-pressed')).toBe('true');
    await Promise.all(
      [zhang, sun, projector].map((p) =>
        p.getByText(TOPIC).locator('visible=true').first().waitFor(LIVE),
      ),
    );
    async function vote(question: string) {
      await chair.getByLabel('表决内容').fill(question);
      await chair.getByRole('button', { name: '开始表决' }).click();
      await chair.getByRole('button', { name: '结束表决并计票' }).waitFor();
      await Promise.all(
        [zhang, sun].map((p) =>
          p.getByRole('heading', { name: `正在表决：${question}` }).waitFor(LIVE),
        ),
      );
      await projector.getByText(question).first().waitFor(LIVE);
      await zhang.getByRole('button', { name: '赞成' }).click();
      await sun.getByRole('button', { name: '赞成' }).click();
      for (const p of [zhang, sun]) {
        await p.getByText('您已投票：赞成').waitFor();
      }
      await Promise.all(
        [chair, zhang, sun].map((p) =>
          p
            .getByText(/已计 2 人/)
            .first()
            .waitFor(LIVE),
        ),
      );
      await projector.getByText(/2/).first().waitFor(LIVE);
      await chair.getByRole('button', { name: '结束表决并计票' }).click();
      await chair.getByText(`上一轮表决「${question}」`).waitFor();
      await Promise.all(
        [zhang, sun].map((p) =>
          p.getByRole('heading', { name: `表决结果：${question}` }).waitFor(LIVE),
        ),
      );
    }
    await vote('同意限期一周清理楼道杂物');
    // The second vote of a meeting is counted too (it used to show "您已投票" and no buttons).
    await vote('同意由物业统一清运');

    // ── Resolution ─────────────────────────────────────────────────────────────
    const resolution = '一周内清理5号楼楼道杂物，由服务队协助搬运。';
    await chair.getByLabel('议定事项').fill(resolution);
    await chair.getByRole('button', { name: '记录议定事项' }).click();
    await chair.getByText(`议定事项：${resolution}`).waitFor();
    await Promise.all(
      [zhang, sun].map((p) => p.getByText(`议定事项：${resolution}`).waitFor(LIVE)),
    );

    // The minutes, written live by the chair, reach the residents.
    const minutes = chair.getByLabel(`议题纪要：${TOPIC}`);
    await minutes.click();
    await minutes.pressSequentially('居民同意限期清理。');
    await expect
      .poll(() => zhang.getByLabel(`议题纪要：${TOPIC}`).inputValue(), LIVE)
      .toContain('居民同意限期清理');

    // ── Action item to 孙队长 ───────────────────────────────────────────────────
    await chair.getByRole('textbox', { name: '办理事项', exact: true }).fill('清理5号楼楼道');
    await chair.getByLabel('责任方类型').selectOption('person');
    await chair.getByLabel('责任方', { exact: true }).selectOption({ label: '孙队长' });
    await chair.getByLabel('完成期限').fill('2026-12-31');
    await chair.getByRole('button', { name: '分派', exact: true }).click();
    await chair.getByText('清理5号楼楼道').first().waitFor();

    // ── Advance to 办事 ─────────────────────────────────────────────────────────
    await advance(chair, '办事');
    await Promise.all([
      stageIs(chair, '办事'),
      stageIs(zhang, '办事'),
      stageIs(sun, '办事'),
      stageIs(projector, '办事'),
    ]);
    await zhang.getByText('清理5号楼楼道').waitFor(LIVE);

    // ── 孙队长 reports progress with a photo ────────────────────────────────────
    await sun.getByLabel('进展说明').fill('杂物已清运完毕。');
    await sun.getByLabel('状态').selectOption({ label: '已办结' });
    await addPhoto(sun, 'cleared.png');
    await sun.getByRole('button', { name: '发布进展' }).click();
    await sun.getByText('杂物已清运完毕。').waitFor();
    await Promise.all([chair, zhang].map((p) => p.getByText('杂物已清运完毕。').waitFor(LIVE)));
    await zhang.getByRole('img', { name: /进展照片 1/ }).waitFor(LIVE);

    // ── 评事: residents rate ────────────────────────────────────────────────────
    await advance(chair, '评事');
    await Promise.all([stageIs(zhang, '评事'), stageIs(sun, '评事'), stageIs(projector, '评事')]);
    await zhang
      .getByRole('group', { name: '评价：清理5号楼楼道' })
      .getByRole('button', { name: '满意', exact: true })
      .click();
    await zhang.getByText('您的评价：满意').waitFor();
    await chair.getByText(/满意率 100%/).waitFor(LIVE);

    // ── Minutes: an amendment period, then sign-off ────────────────────────────
    await chair.getByLabel('修订期（小时）').fill('1');
    await chair.getByRole('button', { name: '开放修订期' }).click();
    await Promise.all([zhang, sun].map((p) => p.getByText(/^修订期到 /).waitFor(LIVE)));
    // The residents have checked the minutes: the chair ends the period early and signs off.
    await chair.getByRole('button', { name: '提前结束修订期' }).click();
    await chair.getByRole('button', { name: '提前结束修订期' }).waitFor({ state: 'detached' });
    await chair.getByRole('button', { name: '纪要定稿' }).click();
    await chair.getByText('纪要已定稿').first().waitFor();
    await Promise.all([zhang, sun].map((p) => p.getByText('纪要已定稿').first().waitFor(LIVE)));

    // ── Close → 公示 ────────────────────────────────────────────────────────────
    await advance(chair, '已结束');
    await chair.getByText('会议已结束，结果已公示。').waitFor();
    await Promise.all(
      [zhang, sun].map((p) => p.getByText('会议已结束，结果已公示。').waitFor(LIVE)),
    );
    await zhang.getByRole('link', { name: '查看公示' }).click();
    await zhang.getByText(resolution).first().waitFor();
    await zhang.getByText('同意由物业统一清运').first().waitFor();
    await zhang.getByText('居民同意限期清理').first().waitFor();
    await chair.screenshot({
      path: 'docs/screenshots/roundtable-meeting-ui-console.png',
      fullPage: true,
    });
  }, 300_000);
});
