import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';

// The demo's live roundtable, run from three browsers: the chair's laptop and two residents'
// phones. A vote, a minutes edit and a stage change each reach the other screens within a
// second; the room, the console, the projector and a public result are photographed for the
// README.

const app = useDemoApp();
const SECOND = { timeout: 1000 };

async function openRoom(page: Page) {
  await page.goto(`${app.url}/roundtables`);
  await page.getByRole('link', { name: /电动车充电难/ }).click();
  await page.getByText('已同步').first().waitFor();
}

describe('a live roundtable in three browsers', () => {
  it('votes, minutes and a stage change show on every screen within a second', async () => {
    const chair = await app.signIn('secretary', { width: 1280, height: 800 });
    await openRoom(chair);
    await chair.getByRole('link', { name: '主持台' }).click();
    await chair.getByRole('heading', { name: /主持台/ }).waitFor();
    const [zhang, liu] = await Promise.all([
      app.signIn('resident', { width: 375, height: 812 }),
      app.signIn('resident2', { width: 375, height: 812 }),
    ]);
    await Promise.all([openRoom(zhang), openRoom(liu)]);
    await zhang.getByRole('heading', { name: /正在表决/ }).waitFor();

    // A vote: 刘大爷 taps a proposal; the count moves on the chair's and 张阿姨's screens.
    const before = await zhang
      .getByText(/已计 \d+ 人/)
      .first()
      .textContent();
    const counted = Number(before!.match(/\d+/)![0]);
    const choice = liu.getByRole('button', { name: /先在 1 号楼/ });
    const box = (await choice.boundingBox())!;
    expect(box.width).toBeGreaterThan(300);
    await choice.click();
    await liu.getByText(/您已投票/).waitFor();
    await zhang
      .getByText(`已计 ${counted + 1} 人`)
      .first()
      .waitFor(SECOND);
    await chair
      .getByText(new RegExp(`已计 ${counted + 1} 人`))
      .first()
      .waitFor(SECOND);

    // A minutes edit by the chair appears in the residents' minutes.
    const minutes = chair.getByLabel('议题纪要：楼道里给电动车充电太危险');
    await minutes.click();
    await minutes.pressSequentially('钱奶奶：充电棚要离住户远一点。');
    await expect
      .poll(() => zhang.getByLabel('议题纪要：楼道里给电动车充电太危险').inputValue(), SECOND)
      .toContain('充电棚要离住户远一点');

    await zhang.screenshot({
      path: 'docs/screenshots/roundtable-room-phone-zh.png',
      fullPage: true,
    });
    const projector = await (
      await app.browser.newContext({
        viewport: { width: 1280, height: 720 },
        storageState: await chair.context().storageState(),
      })
    ).newPage();
    await projector.goto(
      `${app.url}${new URL(chair.url()).pathname.replace('/console', '/projector')}`,
    );
    await projector.getByText('扫码签到').waitFor();
    await projector.screenshot({ path: 'docs/screenshots/roundtable-projector.png' });

    // Close the vote, resolve topic 1, defer topic 2, and move on to 办事.
    await chair.getByRole('button', { name: '结束表决并计票' }).click();
    await chair.getByLabel('议定事项').fill('在小区东门空地建集中充电棚，先装 10 个充电口试点。');
    await chair.getByRole('button', { name: '记录议定事项' }).click();
    await chair.getByRole('button', { name: /1\. 楼道里给电动车充电太危险 ✓/ }).waitFor();
    const second = chair.getByRole('button', { name: /2\. 充电桩收费标准/ });
    await second.click();
    await expect.poll(() => second.getAttribute('aria-pressed')).toBe('true');
    await chair.getByRole('button', { name: '暂缓，下次再议' }).click();
    await chair.getByRole('button', { name: /2\. 充电桩收费标准 · 暂缓/ }).waitFor();
    await chair.screenshot({
      path: 'docs/screenshots/roundtable-console-laptop.png',
      fullPage: true,
    });
    // Moving on asks first (it cannot be undone): the dialog says what happens next.
    await chair.getByRole('button', { name: '进入下一阶段：办事' }).click();
    await chair.getByRole('dialog', { name: '进入“办事”阶段？' }).waitFor();
    await chair.getByRole('button', { name: '确认进入办事' }).click();
    const step = (page: Page) => page.locator('li[aria-current="step"]', { hasText: '办事' });
    await Promise.all([step(zhang).waitFor(SECOND), step(liu).waitFor(SECOND)]);
    await step(chair).waitFor(SECOND);
  }, 120_000);

  it('shows a closed roundtable’s public result (公示) on a phone', async () => {
    const zhang = await app.signIn('resident', { width: 375, height: 812 });
    await zhang.goto(`${app.url}/roundtables`);
    await zhang.getByRole('link', { name: /流浪猫治理/ }).click();
    await zhang.getByText('圆桌会议事结果公示').waitFor();
    await zhang.getByRole('link', { name: '下载 Markdown' }).waitFor();
    await zhang.screenshot({
      path: 'docs/screenshots/roundtable-result-phone-zh.png',
      fullPage: true,
    });
  });
});
