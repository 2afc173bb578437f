import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';
import { LIVE } from '../support/live-wait.ts';

// Issue 15, items 6, 11 and 12 (roundtable pages): moving on asks first, the stage line is not
// a row of tabs, an overrun timer says so, convening invites units, text over a limit is
// shown, failed photos free their slot, a guest's list is not empty, English punctuation,
// 地点/所在 on the result, the 评事 minutes, and a malformed id.

const app = useDemoApp();
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

async function roundtableId(page: Page, title: string): Promise<string> {
  const response = await page.request.get(`${app.url}/api/roundtables`);
  const list = (await response.json()) as { id: string; title: string }[];
  return list.find((r) => r.title === title)!.id;
}

const currentStage = (page: Page) =>
  page.locator('ol[aria-label="会议阶段"] li[aria-current="step"]').textContent();

describe('roundtable pages, the details', () => {
  // First: it raises on the 提事 demo meeting, which the next test moves on to 议事.
  it('gives a failed photo its slot back and says why', async () => {
    const resident = await app.signIn('resident', PHONE);
    const id = await roundtableId(resident, '阳光花园停车与电动车充电');
    await resident.goto(`${app.url}/roundtables/${id}`);
    await resident.getByRole('button', { name: '提交议题' }).waitFor();
    // Every upload fails (the server is "down" for photos).
    await resident.route('**/api/photos', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unavailable', message: '服务暂时不可用。' } }),
      }),
    );
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    await resident.locator('input[type=file]').setInputFiles([
      { name: 'a.png', mimeType: 'image/png', buffer: png },
      { name: 'b.png', mimeType: 'image/png', buffer: png },
    ]);
    const alert = resident.getByRole('alert').filter({ hasText: '没有上传成功' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('“a.png”');
    // Both slots are free again: no thumbnails, and all four photos may be added.
    expect(await resident.getByRole('img', { name: /已选照片/ }).count()).toBe(0);
    await resident.getByText('添加照片', { exact: true }).waitFor();
  });

  it('asks before moving on, by keyboard, and the stage line is not tabs', async () => {
    const chair = await app.signIn('secretary', LAPTOP);
    const id = await roundtableId(chair, '阳光花园停车与电动车充电');
    await chair.goto(`${app.url}/roundtables/${id}/console`);
    await chair.getByRole('heading', { name: /主持台/ }).waitFor();

    // The stage line: plain text on no coloured block, nothing to press.
    const steps = chair.locator('ol[aria-label="会议阶段"] li');
    expect(await steps.count()).toBe(4);
    for (let i = 0; i < 4; i++) {
      const background = await steps.nth(i).evaluate((el) => {
        // The test's TypeScript has no DOM types; this runs in the page.
        const page = globalThis as unknown as {
          getComputedStyle(e: unknown): { backgroundColor: string };
        };
        return page.getComputedStyle(el).backgroundColor;
      });
      expect(background).toBe('rgba(0, 0, 0, 0)');
    }
    expect(await chair.locator('ol[aria-label="会议阶段"] button').count()).toBe(0);
    expect(await currentStage(chair)).toContain('提事');

    // One click only asks; Esc leaves everything as it was.
    await chair.getByRole('button', { name: '进入下一阶段：议事' }).click();
    const dialog = chair.getByRole('dialog', { name: '进入“议事”阶段？' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('不能退回');
    await chair.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await currentStage(chair)).toContain('提事');

    // Open it again and confirm from the keyboard alone.
    await chair.getByRole('button', { name: '进入下一阶段：议事' }).focus();
    await chair.keyboard.press('Enter');
    await dialog.waitFor();
    await chair.getByRole('button', { name: '确认进入议事' }).focus();
    await chair.keyboard.press('Enter');
    await expect.poll(() => currentStage(chair), LIVE).toContain('议事');
    await chair.screenshot({ path: 'docs/screenshots/roundtable-console-discuss.png' });
  });

  it('shows an overrun speaker as 超时, never as a negative clock', async () => {
    const chair = await app.signIn('secretary', LAPTOP);
    const id = await roundtableId(chair, '电动车充电难');
    await chair.goto(`${app.url}/roundtables/${id}/console`);
    await chair.getByRole('heading', { name: /主持台/ }).waitFor();
    // The limit set is said in words: an empty field (设置 then means no limit) no longer
    // shows it as a placeholder that looks like a value.
    await chair.getByText('现在每人限时 3 分钟。').waitFor();
    expect(await chair.getByLabel('每人发言时长（分钟）').getAttribute('placeholder')).toBe(
      '不限时',
    );
    // The demo speaker began over a minute ago: a one-minute limit is already over.
    await chair.getByLabel('每人发言时长（分钟）').fill('1');
    await chair.getByRole('button', { name: '设置', exact: true }).click();
    await chair.getByText('现在每人限时 1 分钟。').waitFor(LIVE);

    const resident = await app.signIn('resident', PHONE);
    await resident.goto(`${app.url}/roundtables/${id}`);
    const timer = resident.getByRole('timer');
    await expect.poll(() => timer.textContent(), LIVE).toMatch(/^\s*超时 \d\d:\d\d\s*$/);
    expect(await timer.getAttribute('aria-label')).toBe('发言已超时');
    await resident.screenshot({ path: 'docs/screenshots/roundtable-timer-overrun-phone.png' });

    const projector = await (
      await app.browser.newContext({
        viewport: { width: 1280, height: 720 },
        storageState: await chair.context().storageState(),
      })
    ).newPage();
    await projector.goto(`${app.url}/roundtables/${id}/projector`);
    await expect
      .poll(() => projector.getByLabel('发言已超时').textContent(), LIVE)
      .toMatch(/超时 \d\d:\d\d/);
  });

  it('convenes with invited units, and shows a counter instead of cutting text', async () => {
    const chair = await app.signIn('secretary', PHONE);
    await chair.goto(`${app.url}/roundtables/new`);
    const title = chair.getByLabel('主题');
    await title.fill('长'.repeat(85));
    // Nothing is cut: all 85 characters stay, and the page says what is wrong.
    expect((await title.inputValue()).length).toBe(85);
    await chair.getByText('最多 80 个字，已超出 5 个字').waitFor();
    await chair.getByText('85 / 80 字').waitFor();
    await title.fill('楼道堆物清理');
    await chair.getByText('6 / 80 字').waitFor();
    await chair.getByLabel('地点').fill('社区党群服务中心二楼');
    await chair.getByLabel('区城市管理局').check();
    await chair.getByLabel('阳光物业服务有限公司').check();
    await chair.screenshot({
      path: 'docs/screenshots/roundtable-convene-phone.png',
      fullPage: true,
    });
    expect(
      await chair.evaluate<number>('document.documentElement.scrollWidth'),
    ).toBeLessThanOrEqual(375);
    await chair.getByRole('button', { name: '召集', exact: true }).click();
    await chair.getByRole('heading', { name: /主持台/ }).waitFor();
    await chair.getByText('邀请单位：区城市管理局、阳光物业服务有限公司').waitFor();
  });

  it('says "not found" for a malformed id, in the room, console and result', async () => {
    const resident = await app.signIn('resident', PHONE);
    for (const suffix of ['', '/console', '/result']) {
      await resident.goto(`${app.url}/roundtables/not-an-id${suffix}`);
      const alert = resident.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('找不到这个圆桌会');
      expect(await alert.textContent()).not.toContain('格式不正确');
    }
  });

  it('shows the 评事 minutes the 公示 draft has, and 地点/所在 the right way round', async () => {
    const resident = await app.signIn('resident', PHONE);
    const id = await roundtableId(resident, '阳光花园垃圾分类点位调整');
    await resident.goto(`${app.url}/roundtables/${id}`);
    const minutes = resident.getByLabel('议题纪要：3号楼前垃圾桶太臭');
    await expect.poll(() => minutes.inputValue(), LIVE).toContain('居民反映夏季异味大');

    const closed = await roundtableId(resident, '流浪猫治理');
    await resident.goto(`${app.url}/roundtables/${closed}/result`);
    const dd = (label: string) =>
      resident
        .locator('dt', { hasText: new RegExp(`^${label}$`) })
        .locator('xpath=following-sibling::dd[1]');
    expect(await dd('地点').textContent()).toBe('社区党群服务中心二楼');
    expect(await dd('所在').textContent()).toBe('幸福社区');
  });

  it('offers each step of the minutes sign-off only when it can be taken', async () => {
    const chair = await app.signIn('secretary', LAPTOP);
    const id = await roundtableId(chair, '阳光花园垃圾分类点位调整');
    await chair.goto(`${app.url}/roundtables/${id}/console`);
    const panel = chair.getByRole('region', { name: '纪要定稿' });
    // The demo's amendment period is running: 定稿 would be refused, so it is not offered.
    await panel.getByRole('button', { name: '提前结束修订期' }).waitFor();
    await panel.getByRole('button', { name: '重新设定修订期' }).waitFor();
    expect(await panel.getByRole('button', { name: '纪要定稿' }).count()).toBe(0);
    await panel.getByRole('button', { name: '提前结束修订期' }).click();
    await panel.getByRole('button', { name: '纪要定稿' }).click();
    // Approved: nothing left to press, and the panel says so.
    await panel.getByText('纪要已定稿，不能再修改。').waitFor(LIVE);
    expect(await panel.getByRole('button').count()).toBe(0);

    // The projector after 议事 does not say the discussion has yet to start.
    const acting = await roundtableId(chair, '玻璃厂小区路灯维修');
    await chair.goto(`${app.url}/roundtables/${acting}/projector`);
    await chair.getByText('议事已结束').waitFor();
    expect(await chair.getByText('尚未开始议题').count()).toBe(0);
    expect(await chair.getByText('发言人').count()).toBe(0);
  });

  it('uses English punctuation in English', async () => {
    const resident = await app.signIn('resident2', PHONE);
    const id = await roundtableId(resident, '电动车充电难');
    await resident.goto(`${app.url}/roundtables/${id}`);
    await resident.getByRole('button', { name: 'EN', exact: true }).first().click();
    await resident.getByRole('heading', { name: /^Voting now: / }).waitFor();
    const closed = await roundtableId(resident, '流浪猫治理');
    await resident.goto(`${app.url}/roundtables/${closed}/result`);
    await resident
      .getByText(/\(\d+ counted in total\)/)
      .first()
      .waitFor();
    const text = await resident.locator('main').innerText();
    // User text (titles, minutes) is Chinese; the page's own words and marks are not.
    expect(text).not.toMatch(/(Voting|counted|Venue|Community)[^\n]*[：（）]/);
  });
});
