import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';
import { LIVE } from '../support/live-wait.ts';

// The guard of issue 15 for 双报到 · 双认领, through the UI only: a unit claims, delivers,
// the community confirms and rates; a resident's wish goes from posting to her rating. Each
// step is checked on the other screens, LIVE. Unit and secretary on laptops, residents and
// the member on phones.

const app = useDemoApp();
const phone = { width: 375, height: 812 };
const laptop = { width: 1280, height: 800 };

async function openItem(page: Page, list: string, title: string) {
  await page.goto(`${app.url}/double-report`);
  await page.getByRole('tab', { name: list }).click();
  await page.getByRole('link', { name: new RegExp(title) }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.getByText('已同步').first().waitFor();
}

describe('a claim and a wish, through the UI', () => {
  it('a unit claims a project, delivers another; the secretary confirms and rates', async () => {
    const unit = await app.signIn('unitrep', laptop);
    const secretary = await app.signIn('secretary', laptop);

    // A claim.
    await openItem(secretary, '项目清单', '老年助餐点运营');
    await openItem(unit, '项目清单', '老年助餐点运营');
    await unit.getByRole('button', { name: '认领 · 区供电公司' }).click();
    await unit.getByText('认领成功').waitFor();
    await secretary.getByRole('article').getByText('区供电公司').waitFor(LIVE);
    await secretary.getByText('已认领 1/2').waitFor(LIVE);

    // The charging shed, in progress since the demo began: delivered, confirmed, rated.
    await secretary.goto(`${app.url}/double-report/review`);
    await secretary.getByText('已同步').first().waitFor();
    await openItem(unit, '项目清单', '阳光花园电动车充电棚建设');
    await unit.getByLabel('完成情况说明').fill('40 个充电位已建成并通过验收');
    await unit.getByRole('button', { name: '提交完成' }).click();
    await unit.getByText('完成说明：40 个充电位已建成').waitFor();
    const card = secretary.getByRole('article', { name: '阳光花园电动车充电棚建设' });
    await card.waitFor(LIVE);
    // No rating is chosen for the secretary.
    expect(await card.getByRole('radio', { checked: true }).count()).toBe(0);
    await card.getByText('4 分').click();
    await card.getByRole('button', { name: '确认完成并评价' }).click();
    await card.waitFor({ state: 'detached' });

    // The unit's page shows the outcome, LIVE: done, by whom, rated; not a count of places.
    await unit.getByTestId('item-outcome').getByText('由区供电公司完成').waitFor(LIVE);
    await unit.getByText('评价：4 分').waitFor(LIVE);
    const text = await unit.locator('main').innerText();
    expect(text).not.toMatch(/已认领 \d\/\d/);
    expect(text).not.toContain('不能认领');

    for (const page of [unit, secretary]) await page.context().close();
  });

  it('a resident’s wish: posted, reviewed, claimed, delivered, confirmed and rated', async () => {
    const resident = await app.signIn('resident', phone);
    const secretary = await app.signIn('secretary', laptop);
    const member = await app.signIn('member', phone);
    const title = '想请人教我用微信视频';

    await secretary.goto(`${app.url}/double-report/review`);
    await secretary.getByText('已同步').first().waitFor();

    await resident.goto(`${app.url}/double-report`);
    await resident.getByRole('button', { name: '发布微心愿' }).click();
    await resident.getByLabel('标题').fill(title);
    await resident.getByLabel('说明').fill('想和外地的孙子视频聊天。');
    await resident.getByRole('button', { name: '发布', exact: true }).click();
    await resident.getByText('已提交，社区审核后公开。').waitFor();

    // Her own wish says where it stands and what comes next, never a claim refusal.
    await resident.getByRole('link', { name: new RegExp(title) }).click();
    const own = resident.getByTestId('own-wish');
    await own.getByText('这是您的心愿').waitFor();
    await own.getByText('正在等待社区审核').waitFor();
    await resident.getByText('已同步').first().waitFor();

    const wish = secretary
      .getByRole('region', { name: '待审核的微心愿' })
      .getByRole('listitem')
      .filter({ hasText: title });
    await wish.getByRole('button', { name: '通过', exact: true }).click();
    await wish.waitFor({ state: 'detached' });
    await own.getByText('已经公开，正在等待党员认领').waitFor(LIVE);

    await openItem(member, '需求清单', title);
    await member.getByRole('button', { name: '认领', exact: true }).click();
    await member.getByText('认领成功').waitFor();
    await own.getByText('吴党员已认领，正在办理').waitFor(LIVE);

    await member.getByLabel('完成情况说明').fill('上门教了两次，已经会用了');
    await member.getByRole('button', { name: '提交完成' }).click();
    await own.getByText('吴党员已办好').waitFor(LIVE);
    // The secretary could confirm too: the delivery is in the review queue.
    await secretary.getByRole('article', { name: title }).waitFor(LIVE);

    const card = resident.getByRole('article', { name: title });
    expect(await card.getByRole('radio', { checked: true }).count()).toBe(0);
    await card.getByText('5 分').click();
    await card.getByLabel('评价').fill('谢谢吴党员，很耐心');
    await card.getByRole('button', { name: '确认完成并评价' }).click();
    await own.getByText('心愿已经实现').waitFor(LIVE);
    await resident.getByTestId('item-outcome').getByText('由吴党员完成').waitFor();

    await member.getByText('评价：5 分 · 谢谢吴党员，很耐心').waitFor(LIVE);
    await secretary.getByRole('article', { name: title }).waitFor({ state: 'detached', ...LIVE });
    expect(await resident.locator('main').innerText()).not.toContain('才能认领');

    for (const page of [resident, secretary, member]) await page.context().close();
  });
});
