import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';

// The secretary, on a 375 px phone, adds a 集中服务日 rule, changes its start time with 修改 and
// ends it with 停止 (after a confirmation saying what happens to its activities), all through the page.

const app = useDemoApp();
const phone = { width: 375, height: 812 };
const laptop = { width: 1280, height: 800 };

describe('集中服务日: change and end a rule through the page', () => {
  it('the secretary adds a rule, changes it and ends it', async () => {
    const title = `周末清扫${Math.random().toString(36).slice(2, 6)}`;
    const page = await app.signIn('secretary', phone);
    await page.goto(`${app.url}/teams/service-days`);
    await page.getByLabel('活动名称').fill(title);
    await page.getByLabel('地点', { exact: true }).fill('小区东门');
    for (const d of ['10', '20'])
      await page.getByRole('group', { name: '每月哪几天' }).getByText(d, { exact: true }).click();
    await page.getByRole('button', { name: '保存规则' }).click();
    const card = page.locator('li[data-rule]').filter({ hasText: title });
    await card.getByText('09:00 开始', { exact: false }).waitFor();

    // 修改: the form takes the rule's values; the new time replaces the old.
    await card.getByRole('button', { name: `修改“${title}”` }).click();
    const heading = page.getByRole('heading', { name: `修改“${title}”` });
    await heading.waitFor();
    expect(await heading.evaluate((h) => h === h.ownerDocument.activeElement)).toBe(true);
    expect(await page.getByLabel('活动名称').inputValue()).toBe(title);
    await page.getByLabel('开始时间（北京时间）').fill('10:30');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.getByText(`已修改“${title}”`).waitFor();
    await card.getByText('10:30 开始', { exact: false }).waitFor();
    expect(
      await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth'),
    ).toBe(true);

    // 停止 asks first, saying what happens to the activities; the keyboard can answer.
    await card.getByRole('button', { name: `停止“${title}”` }).click();
    await card.getByText('还没有人报名的未来活动会撤下').waitFor();
    await page.screenshot({ path: join(tmpdir(), 'service-days-end-375.png'), fullPage: true });
    await card.getByRole('button', { name: '确认停止' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(`已停止“${title}”`).waitFor();
    await card.waitFor({ state: 'detached' });

    const wide = await app.signIn('secretary', laptop);
    await wide.goto(`${app.url}/teams/service-days`);
    const first = wide.locator('li[data-rule]').first();
    await first.getByRole('button', { name: /^修改/ }).click();
    await wide.getByRole('button', { name: '保存修改' }).waitFor();
    await wide.screenshot({ path: join(tmpdir(), 'service-days-edit-1280.png'), fullPage: true });
    await wide.getByRole('button', { name: '取消修改' }).click();
    await wide.getByRole('heading', { name: '新增规则' }).waitFor();
  });
});
