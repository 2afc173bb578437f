import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';
import { LIVE } from '../support/live-wait.ts';

// A unit's representative claims a project on a phone, delivers it, the secretary confirms
// on a laptop, and a resident watching the 公示 board sees each step without reloading.

const app = useDemoApp();

describe('double claim, from a unit’s phone to the public board', () => {
  it('a project claimed, delivered and confirmed shows fulfilled on an open board', async () => {
    const resident = await app.signIn('resident', { width: 375, height: 812 });
    await resident.goto(`${app.url}/double-report/board`);
    await resident.getByText('已同步').waitFor();
    const row = resident.getByRole('listitem').filter({ hasText: '老年助餐点运营' });
    expect(await row.count()).toBe(0);

    const rep = await app.signIn('unitrep', { width: 375, height: 812 });
    await rep.goto(`${app.url}/double-report`);
    await rep.getByRole('tab', { name: '项目清单' }).click();
    await rep.getByRole('link', { name: /老年助餐点运营/ }).click();
    await rep.getByRole('button', { name: '认领 · 区供电公司' }).click();
    await rep.getByText('认领成功').waitFor();
    // The resident's board shows the claim without a reload.
    await row.getByText('已认领').waitFor(LIVE);

    await rep.getByRole('button', { name: '开始办理' }).click();
    await rep.getByLabel('完成情况说明').fill('助餐点已开放，每天供应 60 份午餐');
    await rep.getByRole('button', { name: '提交完成' }).click();
    await rep.getByText('完成说明：助餐点已开放').waitFor();
    await row.getByText('待确认').waitFor(LIVE);

    const secretary = await app.signIn('secretary', { width: 1280, height: 800 });
    await secretary.goto(`${app.url}/double-report/review`);
    const card = secretary.getByRole('article', { name: '老年助餐点运营' });
    await card.getByText('5 分').click();
    await card.getByRole('button', { name: '确认完成并评价' }).click();
    await secretary.getByRole('article', { name: '老年助餐点运营' }).waitFor({ state: 'detached' });

    await row.getByText('已完成').waitFor(LIVE);
    expect(await row.innerText()).toContain('区供电公司');
    expect(await row.innerText()).toContain('评价：5 分');
    for (const page of [resident, rep, secretary]) await page.context().close();
  });
});
