import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';
import { LIVE } from '../support/live-wait.ts';

// Issue 18's acceptance test: the whole loop (下呼上应) through the UI only. A rider reports a
// broken manhole cover with a photo, the grid worker is told without a reload, accepts and
// resolves it with a photo, the rider confirms and is credited points; a report raised to the
// roundtable is discussed, resolved, its action item published as a 双报到 project, claimed by
// a unit, delivered with a photo and confirmed — shown on the item and on the report — rated,
// and 公示 shows the chain; and a report left unanswered goes overdue (the test moves the
// server's clock: TONGXIN_TEST_CLOCK) and escalates to the secretary.

const app = useDemoApp({ env: { TONGXIN_TEST_CLOCK: '1' } });
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

async function addPhoto(page: Page, name: string, scope = page.locator('body')) {
  await scope
    .locator('input[type=file]')
    .setInputFiles([{ name, mimeType: 'image/png', buffer: png }]);
  await scope.getByText('已上传').first().waitFor();
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `docs/screenshots/loop-${name}.png`, fullPage: true });

const stageIs = (page: Page, name: string) =>
  page.locator('li[aria-current="step"]', { hasText: name }).waitFor(LIVE);

/** Moves the meeting on from the console, through its confirmation. */
async function advance(chair: Page, stage: string) {
  await chair.getByRole('button', { name: `进入下一阶段：${stage}` }).click();
  await chair.getByRole('dialog', { name: `进入“${stage}”阶段？` }).waitFor();
  await chair.getByRole('button', { name: `确认进入${stage}` }).click();
}

const noSidewaysScroll = (page: Page) =>
  page.evaluate<boolean>(
    `document.documentElement.scrollWidth <= document.documentElement.clientWidth`,
  );

/** A rider's report through the 随手拍 form on a phone; returns its id. */
async function report(
  page: Page,
  r: { category: string; description: string; place: string; location?: string },
) {
  await page.goto(`${app.url}/problems/new`);
  await page.getByRole('heading', { level: 1, name: '随手拍' }).waitFor();
  await page.getByLabel('社区', { exact: true }).selectOption({ label: '幸福社区' });
  await page.getByLabel(r.category, { exact: true }).check({ force: true });
  await page.getByLabel('问题描述').fill(r.description);
  await page.getByLabel('小区或楼栋（可不选）').selectOption({ label: r.place });
  if (r.location) await page.getByLabel('具体位置（可不填）').fill(r.location);
  await addPhoto(page, 'scene.png');
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await page.waitForURL(/\/problems\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname.split('/')[2]!;
}

describe('the loop, 下呼上应, through the UI', () => {
  it('a rider reports a broken manhole cover; the grid worker answers and fixes it; the rider confirms', async () => {
    const [rider, worker] = await Promise.all([
      app.signIn('rider', PHONE),
      app.signIn('gridworker', PHONE),
    ]);
    // The grid worker's home: 待办, live.
    await worker.goto(`${app.url}/`);
    await worker.getByTestId('todo-group-handle').waitFor(LIVE);
    const bellBefore = await worker.getByTestId('bell').getAttribute('aria-label');

    const description = '3 号楼北门井盖松动翘起，夜里骑车很危险。';
    const id = await report(rider, {
      category: '设施损坏',
      description,
      place: '阳光花园 · 3号楼',
      location: '3 号楼北门外人行道',
    });
    await rider.getByText('待受理').first().waitFor();
    expect(await noSidewaysScroll(rider)).toBe(true);
    await shot(rider, 'reported-phone');

    // Without a reload: the report is on the grid worker's 待办, and the bell has counted it.
    const entry = worker.locator('[data-testid=todo-entry][data-kind=handle_problem]', {
      hasText: '3 号楼北门井盖松动翘起',
    });
    await entry.waitFor(LIVE);
    await entry.getByText('新上报，待受理').waitFor();
    await expect
      .poll(() => worker.getByTestId('bell').getAttribute('aria-label'), LIVE)
      .not.toBe(bellBefore);
    await shot(worker, 'gridworker-todo-phone');

    // One tap to the report: accept, start, resolve with a photo.
    await entry.getByRole('link').click();
    await worker.waitForURL(new RegExp(`/problems/${id}$`));
    await worker.getByText('骑手小马').first().waitFor();
    await worker.getByRole('button', { name: '受理', exact: true }).click();
    await worker.getByText('已受理').first().waitFor();
    await worker.getByRole('button', { name: '开始处理' }).click();
    await worker.getByText('处理中').first().waitFor();
    await worker.getByRole('button', { name: '处理完毕' }).click();
    await worker.getByLabel('说明（可不填）').fill('已联系物业更换新井盖并固定。');
    await addPhoto(worker, 'fixed.png');
    await worker.getByRole('button', { name: '处理完毕' }).click();
    await worker.getByText('已处理，待确认').first().waitFor();
    expect(await noSidewaysScroll(worker)).toBe(true);
    await shot(worker, 'gridworker-resolved-phone');

    // The rider's page follows without a reload; the rider confirms and rates.
    await rider
      .getByText('已处理，待确认')
      .first()
      .waitFor(LIVE)
      .catch(async (e: unknown) => {
        await rider.screenshot({ path: '/tmp/loop-rider.png', fullPage: true });
        throw e;
      });
    await rider.getByText('已联系物业更换新井盖并固定。').waitFor(LIVE);
    await rider.getByRole('button', { name: '已经解决了' }).click();
    await rider.getByText('满意', { exact: true }).click();
    await rider.getByRole('button', { name: '已经解决了' }).click();
    await rider.getByText('已解决').first().waitFor();
    // Credited through the ledger, and told so on the report.
    await rider.getByTestId('points-credited').getByText('已获 5 积分').waitFor();
    await shot(rider, 'confirmed-phone');

    // The rider holds no role, yet 我的积分 shows the points and the report they came from.
    await rider.getByRole('link', { name: '查看我的积分' }).click();
    await rider.waitForURL(/\/teams\/mine\?c=/);
    const credit = rider.getByTestId('ledger').locator('li', { hasText: '3 号楼北门井盖松动翘起' });
    await credit.getByText('+5').waitFor();
    await credit.getByText('随手拍').waitFor();
    const balance = Number(await rider.getByTestId('balance').innerText());
    expect(balance).toBeGreaterThanOrEqual(5);
    expect(await noSidewaysScroll(rider)).toBe(true);
    await shot(rider, 'points-phone');

    // …and spends them: from 我的积分 to the community's 积分商城, still with no role there.
    await rider.getByRole('link', { name: '用积分兑换物品' }).click();
    await rider.waitForURL(/\/teams\/catalogue\?c=/);
    await rider.getByRole('heading', { level: 1, name: '积分商城' }).waitFor();
    await rider.getByText('幸福社区', { exact: true }).first().waitFor();
    await expect.poll(() => rider.getByTestId('balance').innerText()).toBe(String(balance));
    // What the points do not cover cannot be pressed, and says how many are missing.
    const oil = rider.getByRole('button', { name: '兑换: 爱心粮油套装' });
    expect(await oil.isDisabled()).toBe(true);
    await rider
      .locator('li', { hasText: '爱心粮油套装' })
      .getByText(/^还差 \d+ 积分$/)
      .waitFor();
    await rider.getByRole('button', { name: '兑换: 爱心驿站热饮券' }).click();
    await rider.getByText(`兑换成功，剩余 ${balance - 5} 积分。`).waitFor();
    await expect.poll(() => rider.getByTestId('balance').innerText()).toBe(String(balance - 5));
    // 服务之星 is for those with a role: not shown, and no refusal either.
    expect(await rider.getByText('本月服务之星').count()).toBe(0);
    expect(await rider.getByRole('alert').count()).toBe(0);
    expect(await noSidewaysScroll(rider)).toBe(true);
    await shot(rider, 'redeemed-phone');
    // Back on 我的积分 (the tab keeps the community): the redemption is in the ledger.
    await rider.getByRole('link', { name: '我的服务' }).click();
    await rider.waitForURL(/\/teams\/mine\?c=/);
    const spent = rider.getByTestId('ledger').locator('li', { hasText: '爱心驿站热饮券' });
    await spent.getByText('-5', { exact: true }).waitFor();
    await spent.getByText('兑换', { exact: true }).waitFor();

    await Promise.all([rider.context().close(), worker.context().close()]);
  }, 180_000);

  it('a report raised to the roundtable: discussed, resolved, handed to a unit as a project, delivered, confirmed, rated and published', async () => {
    const TITLE = '1号楼路灯与井盖整改';
    const chair = await app.signIn('secretary', LAPTOP);
    const [resident, worker, rep] = await Promise.all([
      app.signIn('resident', PHONE),
      app.signIn('gridworker', PHONE),
      app.signIn('unitrep', PHONE),
    ]);

    // ── The secretary convenes a roundtable, inviting 区供电公司 ───────────────────
    await chair.goto(`${app.url}/roundtables`);
    await chair.getByRole('link', { name: '召集圆桌会' }).click();
    await chair.getByLabel('主题').fill(TITLE);
    await chair.getByLabel('地点').fill('社区党群服务中心二楼');
    await chair.getByLabel('区供电公司').check();
    await chair.getByRole('button', { name: '召集', exact: true }).click();
    await chair.getByRole('heading', { name: `主持台：${TITLE}` }).waitFor();
    const rtId = new URL(chair.url()).pathname.split('/')[2]!;

    // ── 张阿姨 reports; the grid worker raises it to the roundtable (提事) ─────────
    const description = '1 号楼门前路灯杆被车撞歪了，旁边井盖也缺了一角。';
    const id = await report(resident, {
      category: '设施损坏',
      description,
      place: '阳光花园 · 1号楼',
      location: '1 号楼正门',
    });
    await worker.goto(`${app.url}/problems/${id}`);
    await worker.getByRole('button', { name: '提交圆桌会议' }).click();
    const picker = worker.getByLabel('提交到哪个圆桌会议');
    await picker.waitFor();
    const option = picker.locator('option', { hasText: TITLE });
    await picker.selectOption((await option.getAttribute('value'))!);
    await worker.getByRole('button', { name: '提交圆桌会议' }).click();
    await worker.getByText(`已提交圆桌会议：${TITLE}`).waitFor();

    // ── Screened onto the agenda from the console (live) ──────────────────────────
    const screening = chair.locator('article', { hasText: '1 号楼门前路灯杆被车撞歪' });
    await screening.waitFor(LIVE);
    await screening.getByRole('button', { name: '列入议程' }).click();
    await chair.locator('ol li', { hasText: '1. 1 号楼门前路灯杆' }).first().waitFor();

    await resident.goto(`${app.url}/roundtables/${rtId}`);
    await resident.getByRole('heading', { name: TITLE }).waitFor();
    await resident.getByText('来自随手拍').first().waitFor();

    // ── 议事: discussed, voted, resolved, an action item to 区供电公司 ─────────────
    await advance(chair, '议事');
    await Promise.all([stageIs(chair, '议事'), stageIs(resident, '议事')]);
    const chosen = chair.getByRole('button', { name: /^1\. 1 号楼门前路灯杆/ });
    await chosen.click();
    await expect.poll(() => chosen.getAttribute('aria-pressed')).toBe('true');
    const question = '同意请区供电公司一周内修复路灯杆和井盖';
    await chair.getByLabel('表决内容').fill(question);
    await chair.getByRole('button', { name: '开始表决' }).click();
    await resident.getByRole('heading', { name: `正在表决：${question}` }).waitFor(LIVE);
    await resident.getByRole('button', { name: '赞成' }).click();
    await resident.getByText('您已投票：赞成').waitFor();
    await chair
      .getByText(/已计 1 人/)
      .first()
      .waitFor(LIVE);
    await chair.getByRole('button', { name: '结束表决并计票' }).click();
    await chair.getByText(`上一轮表决「${question}」`).waitFor();

    const resolution = '请区供电公司一周内扶正路灯杆、更换破损井盖。';
    await chair.getByLabel('议定事项').fill(resolution);
    await chair.getByRole('button', { name: '记录议定事项' }).click();
    await chair.getByText(`议定事项：${resolution}`).waitFor();
    const minutes = chair.getByLabel(/^议题纪要：/);
    await minutes.click();
    await minutes.pressSequentially('居民一致同意请供电公司修复。');
    // The minutes reach the residents before the chair goes on (as the meeting test does).
    await expect
      .poll(() => resident.getByLabel(/^议题纪要：/).inputValue(), LIVE)
      .toContain('居民一致同意');

    const ITEM = '修复1号楼门前路灯杆和井盖';
    await chair.getByRole('textbox', { name: '办理事项', exact: true }).fill(ITEM);
    await chair.getByLabel('责任方类型').selectOption('unit');
    await chair.getByLabel('责任方', { exact: true }).selectOption({ label: '区供电公司' });
    await chair.getByLabel('完成期限').fill('2026-12-31');
    expect(await chair.getByRole('textbox', { name: '办理事项', exact: true }).inputValue()).toBe(
      ITEM,
    );
    await chair.getByRole('button', { name: '分派', exact: true }).click();
    // Assigned: the form is empty again; the item is listed from 办事 on.
    await expect
      .poll(() => chair.getByRole('textbox', { name: '办理事项', exact: true }).inputValue())
      .toBe('');

    // ── 办事: the item published as a 双报到 project from the console ──────────────
    await advance(chair, '办事');
    await Promise.all([stageIs(chair, '办事'), stageIs(resident, '办事')]);
    const item = chair.locator('li', { hasText: ITEM }).last();
    await item.waitFor(LIVE);
    await item.getByRole('button', { name: '发布为双报到项目' }).click();
    await expect.poll(() => item.getByLabel('标题').inputValue()).toBe(ITEM);
    await item.getByRole('button', { name: '发布', exact: true }).click();
    await item.getByText('待认领').waitFor(LIVE);

    // ── The unit claims it on a phone, delivers with a photo ─────────────────────
    await rep.goto(`${app.url}/double-report`);
    await rep.getByRole('tab', { name: '项目清单' }).click();
    await rep.getByRole('link', { name: new RegExp(ITEM) }).click();
    await rep.getByText('来自圆桌会议决议：').first().waitFor();
    await rep.getByRole('button', { name: '认领 · 区供电公司' }).click();
    await rep.getByText('认领成功').waitFor();
    await item.getByText('认领单位：区供电公司').waitFor(LIVE);
    await rep.getByRole('button', { name: '开始办理' }).click();
    const delivered = '路灯杆已扶正加固，井盖已更换为防盗铸铁井盖。';
    await rep.getByLabel('完成情况说明').fill(delivered);
    await addPhoto(rep, 'after.png');
    await rep.getByRole('button', { name: '提交完成' }).click();
    await rep
      .getByText(`完成说明：${delivered.slice(0, 8)}`)
      .first()
      .waitFor();
    expect(await noSidewaysScroll(rep)).toBe(true);
    await shot(rep, 'unit-delivered-phone');
    await item.getByText('已交付，待社区确认').waitFor(LIVE);

    // ── The secretary confirms the delivery ───────────────────────────────────────
    const review = await (
      await app.browser.newContext({
        viewport: LAPTOP,
        storageState: await chair.context().storageState(),
      })
    ).newPage();
    await review.goto(`${app.url}/double-report/review`);
    const card = review.getByRole('article', { name: ITEM });
    await card.getByText('5 分').click();
    await card.getByRole('button', { name: '确认完成并评价' }).click();
    await card.waitFor({ state: 'detached' });

    // The action item shows it: the project confirmed, the delivery as progress.
    await item.getByText('社区已确认').waitFor(LIVE);
    await resident.getByText(delivered).first().waitFor(LIVE);
    await shot(chair, 'console-item-confirmed-laptop');

    // …and so does the original report.
    const reportPage = await (
      await app.browser.newContext({
        viewport: PHONE,
        storageState: await resident.context().storageState(),
      })
    ).newPage();
    await reportPage.goto(`${app.url}/problems/${id}`);
    const outcome = reportPage.getByRole('region', { name: '圆桌会议上的办理情况' });
    await outcome.getByText(`议定事项：${resolution}`).waitFor();
    await outcome.getByRole('link', { name: ITEM }).waitFor();
    await outcome.getByText('已发布为双报到项目：').waitFor();
    await outcome.getByText('社区已确认').waitFor();
    await outcome.getByText('认领单位：区供电公司').waitFor();
    expect(await noSidewaysScroll(reportPage)).toBe(true);
    await shot(reportPage, 'report-outcome-phone');

    // ── 评事: the residents rate ────────────────────────────────────────────────────
    await advance(chair, '评事');
    await stageIs(resident, '评事');
    await resident
      .getByRole('group', { name: `评价：${ITEM}` })
      .getByRole('button', { name: '满意', exact: true })
      .click();
    await resident.getByText('您的评价：满意').waitFor();
    await chair
      .getByText(/满意率 100%/)
      .first()
      .waitFor(LIVE);

    // ── Minutes signed off, the meeting closed → 公示 shows the chain ──────────────
    await chair.getByLabel('修订期（小时）').fill('1');
    await chair.getByRole('button', { name: '开放修订期' }).click();
    await chair.getByRole('button', { name: '提前结束修订期' }).click();
    await chair.getByRole('button', { name: '提前结束修订期' }).waitFor({ state: 'detached' });
    await chair.getByRole('button', { name: '纪要定稿' }).click();
    await chair.getByText('纪要已定稿').first().waitFor();
    await advance(chair, '已结束');
    await chair.getByText('会议已结束，结果已公示。').waitFor();
    await resident.getByText('会议已结束，结果已公示。').waitFor(LIVE);
    await resident.getByRole('link', { name: '查看公示' }).click();
    await resident.getByText(resolution).first().waitFor();
    const published = resident.locator('li', { hasText: ITEM }).last();
    await published.getByText('已发布为双报到项目：').waitFor();
    await published.getByText('社区已确认').waitFor();
    await published.getByText('认领单位：区供电公司').waitFor();
    await published.getByText(/满意率 100%/).waitFor();
    await resident.getByText('来自随手拍').first().waitFor();
    expect(await noSidewaysScroll(resident)).toBe(true);
    await shot(resident, 'result-chain-phone');
    // From 公示 back to the report, one tap.
    await resident.getByRole('link', { name: '查看原随手拍' }).first().click();
    await resident.waitForURL(new RegExp(`/problems/${id}$`));
    for (const p of [chair, resident, worker, rep, review, reportPage]) await p.context().close();
  }, 300_000);

  it('a report nobody answers goes overdue and escalates to the secretary', async () => {
    const [rider, secretary] = await Promise.all([
      app.signIn('rider', PHONE),
      app.signIn('secretary', LAPTOP),
    ]);
    const description = '2 号楼西侧路灯坏了一个星期，晚上一片黑。';
    const id = await report(rider, {
      category: '设施损坏',
      description,
      place: '阳光花园 · 2号楼',
    });
    await secretary.goto(`${app.url}/problems/${id}`);
    await secretary.getByText(description).waitFor();
    expect(await secretary.getByText('已上报书记督办').count()).toBe(0);
    await secretary.goto(`${app.url}/`);
    await secretary.getByTestId('todo-group-handle').waitFor(LIVE);

    // 25 hours on: past its 24-hour time to answer. The sweep runs at once.
    const moved = await secretary.request.post(`${app.url}/api/test-clock`, {
      data: { advanceHours: 25 },
      headers: { origin: app.url },
    });
    expect(moved.status(), await moved.text()).toBe(200);
    expect(((await moved.json()) as { escalated: number }).escalated).toBeGreaterThanOrEqual(1);

    // On the secretary's 待办, live: overdue and escalated.
    const entry = secretary.locator('[data-testid=todo-entry]', {
      hasText: '2 号楼西侧路灯坏了',
    });
    await entry.waitFor(LIVE);
    await entry.getByText('已逾期').waitFor(LIVE);
    await entry.getByText('已上报书记').waitFor(LIVE);
    await shot(secretary, 'secretary-escalated-laptop');
    await entry.getByRole('link').click();
    await secretary.getByText('已上报书记督办').first().waitFor();
    await secretary.getByText('超时，上报书记督办').waitFor();
    await secretary.getByText('已超时').first().waitFor();
    await shot(secretary, 'escalated-report-laptop');
    await Promise.all([rider.context().close(), secretary.context().close()]);
  }, 180_000);
});
