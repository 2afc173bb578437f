import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';
import { LIVE } from '../support/live-wait.ts';

// Issue 15, item 8: the 审核 queue, item pages, the 双向考核 table and the board's counters
// follow changes made in another browser without a reload.

const app = useDemoApp();
const phone = { width: 375, height: 812 };
const laptop = { width: 1280, height: 800 };

describe('double-report pages are live', () => {
  it('a change in one browser shows in the other without a reload', async () => {
    const resident = await app.signIn('resident', phone);
    const secretary = await app.signIn('secretary', laptop);
    const rep = await app.signIn('unitrep', laptop);

    // The board: counters and the two-way evaluation table.
    await resident.goto(`${app.url}/double-report/board`);
    await resident.getByText('已同步').first().waitFor();
    const members = resident.locator('dl > div').filter({ hasText: '报到党员' }).locator('dd');
    expect(await members.innerText()).toBe('2');
    const records = resident.getByRole('table');
    const repRow = records.getByRole('row').filter({ hasText: '区供电公司' });
    expect(await repRow.getByRole('cell').nth(1).innerText()).toBe('1');
    expect(await records.getByRole('row').filter({ hasText: '何党员' }).count()).toBe(0);

    // The item page, watched by the secretary.
    await secretary.goto(`${app.url}/double-report`);
    await secretary.getByRole('tab', { name: '项目清单' }).click();
    await secretary.getByRole('link', { name: /老年助餐点运营/ }).click();
    await secretary.getByText('已同步').first().waitFor();
    await secretary.getByText('已认领 0/2').waitFor();
    await secretary.getByText('还没有人认领。').waitFor();

    await rep.goto(`${app.url}/double-report`);
    await rep.getByRole('tab', { name: '项目清单' }).click();
    await rep.getByRole('link', { name: /老年助餐点运营/ }).click();
    await rep.getByRole('button', { name: '认领 · 区供电公司' }).click();
    await rep.getByText('认领成功').waitFor();

    await secretary.getByText('已认领 1/2').waitFor(LIVE);
    await secretary.getByRole('article').getByText('区供电公司').waitFor(LIVE);
    await repRow.getByRole('cell', { name: '2', exact: true }).waitFor(LIVE);

    // The review queue, open on the secretary's laptop, while the resident posts a wish.
    await secretary.goto(`${app.url}/double-report/review`);
    await secretary.getByText('已同步').first().waitFor();
    const wishes = secretary.getByRole('region', { name: '待审核的微心愿' });
    await wishes.getByText('轮椅需要修理').waitFor();
    await resident.goto(`${app.url}/double-report`);
    await resident.getByRole('button', { name: '发布微心愿' }).click();
    await resident.getByLabel('标题').fill('想请人帮忙换个水龙头');
    await resident.getByRole('button', { name: '发布', exact: true }).click();
    await resident.getByText('已提交，社区审核后公开。').waitFor();
    await wishes.getByText('想请人帮忙换个水龙头').waitFor(LIVE);

    // Confirming a member's report: the resident's board counts and lists them.
    await resident.goto(`${app.url}/double-report/board`);
    await resident.getByText('已同步').first().waitFor();
    const reports = secretary.getByRole('region', { name: '待确认的党员报到' });
    await reports
      .getByRole('listitem')
      .filter({ hasText: '何党员' })
      .getByRole('button', { name: '确认报到' })
      .click();
    await reports.getByText('何党员').waitFor({ state: 'detached' });
    await members.getByText('3', { exact: true }).waitFor(LIVE);
    await records.getByRole('row').filter({ hasText: '何党员' }).waitFor(LIVE);

    for (const page of [resident, secretary, rep]) await page.context().close();
  });
});
