import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { toChinaLocal } from '@tongxin/shared/time/china';
import { useDemoApp } from '../support/browser.ts';
import { LIVE } from '../support/live-wait.ts';

// Issue 15's guard for an activity, through the UI only: the leader on a laptop publishes an activity
// with one place; two volunteers on 375 px phones fill it and wait; a cancellation promotes the
// one waiting (her page and the leader's open roster follow live); hours cannot be confirmed
// before the start; the leader moves the start to now (editing the activity, which tells the
// volunteers), she checks in by the QR link, the roster shows it live, the leader confirms the
// hours, the points reach her ledger, she redeems an item the secretary put in the shop, and the
// desk marks it handed over. Nothing waits on the wall clock.

const app = useDemoApp();
const laptop = { width: 1280, height: 800 };
const phone = { width: 375, height: 812 };

/** '2026-12-06T20:30' in China time, `minutes` from now: what a datetime-local field takes. */
const chinaLocal = (minutes: number) => toChinaLocal(new Date(Date.now() + minutes * 60_000));

const acceptNextDialog = (page: Page) => page.once('dialog', (d) => void d.accept());

describe('an activity from publishing to a redeemed reward, through the UI', () => {
  it('publish, fill, waitlist, cancel → promotion, QR check-in, hours only after the start, points, redeem', async () => {
    const title = `楼道消防检查${Math.random().toString(36).slice(2, 6)}`;

    const leader = await app.signIn('leader', laptop);
    await leader.goto(`${app.url}/teams`);
    await leader.getByRole('link', { name: '发布活动' }).click();
    await leader.getByLabel('活动名称').fill(title);
    await leader.getByLabel('地点', { exact: true }).fill('3 号楼大堂');
    await leader.getByLabel('开始时间').fill(chinaLocal(24 * 60));
    await leader.getByLabel('结束时间').fill(chinaLocal(26 * 60));
    await leader.getByLabel('名额').fill('1');
    await leader.getByRole('button', { name: '发布', exact: true }).click();
    await leader.getByRole('heading', { name: title }).waitFor();

    // Two phones: the first takes the one place, the second waits.
    const chen = await app.signIn('volunteer', phone);
    const zhang = await app.signIn('resident', phone);
    for (const page of [chen, zhang]) {
      await page.goto(`${app.url}/teams`);
      await page.getByRole('link', { name: new RegExp(title) }).click();
      await page.getByText('已同步').first().waitFor();
    }
    await chen.getByRole('button', { name: '报名', exact: true }).click();
    await chen.getByTestId('my-status').getByText('已报名').waitFor();
    await zhang.getByRole('button', { name: '排队候补' }).click();
    await zhang.getByTestId('my-status').getByText('候补第 1 位').waitFor();
    await zhang.getByText(/您已排队候补/).waitFor();

    // The leader keeps the roster open: it follows sign-ups without a reload.
    await leader.getByRole('link', { name: '名单与签到' }).click();
    await leader.getByText('已同步').first().waitFor();
    const entry = (name: string) => leader.locator('li[data-signup]').filter({ hasText: name });
    await entry('陈志愿').waitFor();
    await leader.getByRole('listitem').filter({ hasText: '张阿姨' }).first().waitFor();

    // 陈志愿 cancels: 张阿姨 moves up, on her phone and on the leader's roster, live.
    acceptNextDialog(chen);
    await chen.getByRole('button', { name: '取消报名' }).click();
    await chen.getByText('已取消报名。').waitFor();
    await zhang.getByTestId('my-status').getByText('已报名').waitFor(LIVE);
    await zhang.getByText(/递补成功/).waitFor();
    // The old waiting-list message does not linger beside 已报名.
    expect(
      await zhang
        .locator('main')
        .getByText(/候补第|排队候补/)
        .count(),
    ).toBe(0);
    await entry('张阿姨').waitFor(LIVE);
    expect(await entry('陈志愿').count()).toBe(0);

    // Before the start, no hours: marked present, still no button to confirm them.
    await leader.getByRole('button', { name: '已到: 张阿姨' }).click();
    await entry('张阿姨').getByRole('button', { name: '撤销: 张阿姨' }).waitFor();
    await leader.getByText(/开始后才能确认时长和积分/).waitFor();
    expect(await leader.getByRole('button', { name: /确认时长/ }).count()).toBe(0);
    await leader.getByRole('button', { name: '撤销: 张阿姨' }).click();
    await leader.getByRole('button', { name: '已到: 张阿姨' }).waitFor();

    // The leader moves the activity to now; everyone on it is told.
    await leader.getByRole('link', { name: '修改活动' }).click();
    await leader.getByLabel('开始时间').fill(chinaLocal(-30));
    await leader.getByLabel('结束时间').fill(chinaLocal(90));
    await leader.getByRole('button', { name: '保存修改' }).click();
    await leader.getByText('已保存，报名的人已收到通知。').waitFor();
    await zhang.getByTestId('bell').click();
    await zhang.getByText(`活动有变动：${title}`).waitFor(LIVE);

    // She scans the code at the site: the roster, open on the laptop, shows her there.
    await leader.getByRole('link', { name: '名单与签到' }).click();
    await leader.getByText('已同步').first().waitFor();
    const link = (await leader.getByTestId('checkin-link').innerText()).trim();
    expect(link).toContain('/teams/checkin?code=');
    await zhang.goto(link);
    await zhang.getByText(`签到成功：${title}`).waitFor();
    await entry('张阿姨').getByText('已到', { exact: true }).waitFor(LIVE);

    // Under way: the hours can be confirmed now, and turn into points.
    expect(await leader.getByText(/开始后才能确认时长和积分/).count()).toBe(0);
    await leader.getByRole('button', { name: '确认时长: 张阿姨' }).click();
    await entry('张阿姨').getByText('已确认 2 小时').waitFor();
    await zhang.goto(`${app.url}/teams/mine`);
    const first = zhang.getByTestId('ledger').locator('li').first();
    await first.getByText('+20').waitFor();
    expect(await first.innerText()).toContain(title);

    // The secretary puts an item in the shop; she redeems it; the desk hands it over.
    const secretary = await app.signIn('secretary', laptop);
    await secretary.goto(`${app.url}/teams/catalogue`);
    await secretary.getByRole('link', { name: '商城管理' }).click();
    const item = `消防毯${title.slice(-4)}`;
    await secretary.getByLabel('物品名称').fill(item);
    await secretary.getByLabel('所需积分').fill('20');
    await secretary.getByLabel('库存').fill('1');
    await secretary.getByRole('button', { name: '上架', exact: true }).click();
    await secretary.getByText(`已上架：${item}`).waitFor();

    await zhang.getByRole('link', { name: '积分商城' }).click();
    await zhang.getByRole('button', { name: `兑换: ${item}` }).click();
    await zhang.getByText(/兑换成功/).waitFor();

    await secretary.getByRole('link', { name: '积分商城', exact: true }).click();
    const desk = secretary.getByRole('region', { name: '兑换登记' });
    const row = desk.getByRole('listitem').filter({ hasText: item });
    await row.getByText('待领取').waitFor();
    await row.getByRole('button', { name: `确认已领取: 张阿姨 · ${item}` }).click();
    await row.getByText(/^已领取/).waitFor();
    expect(await row.getByRole('button').count()).toBe(0);

    for (const page of [leader, chen, zhang, secretary]) await page.context().close();
  }, 180_000); // four browsers and some sixty steps on a shared machine
});
