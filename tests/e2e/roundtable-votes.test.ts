import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';
import { LIVE } from '../support/live-wait.ts';

// Issue 15, items 2 and 4 as a resident sees them: opening the room does not make her
// present (she checks in), and the second vote of a meeting gives her buttons again.

const app = useDemoApp();

async function openRoom(page: Page) {
  await page.goto(`${app.url}/roundtables`);
  await page.getByRole('link', { name: /电动车充电难/ }).click();
  await page.getByText('已同步').first().waitFor();
}

const presentCount = async (page: Page) =>
  Number(
    (await page
      .getByText(/到会 \d+ 人/)
      .first()
      .textContent())!.match(/到会 (\d+) 人/)![1],
  );

describe('a resident in the live room', () => {
  it('checks in by hand, and votes in two votes in a row', async () => {
    const chair = await app.signIn('secretary', { width: 1280, height: 800 });
    await openRoom(chair);
    await chair.getByRole('link', { name: '主持台' }).click();
    await chair.getByRole('heading', { name: /主持台/ }).waitFor();
    // 孙队长 has a role at the place but has not checked in to the demo meeting.
    const sun = await app.signIn('leader', { width: 375, height: 812 });
    await openRoom(sun);

    // Opening (and reopening) the room is watching, not being present.
    const before = await presentCount(sun);
    await sun.reload();
    await sun.getByText('已同步').first().waitFor();
    await sun.getByText(/正在看 \d+ 人/).waitFor();
    expect(await presentCount(sun)).toBe(before);
    await sun.getByRole('button', { name: '我到场了（签到）' }).click();
    await sun.getByText('您已签到').waitFor(LIVE);
    await chair
      .getByText(`到会 ${before + 1} 人`)
      .first()
      .waitFor(LIVE);

    // The demo's open vote: she votes, the chair closes it.
    await sun.getByRole('heading', { name: /正在表决/ }).waitFor();
    await sun.getByRole('button', { name: /先在 1 号楼/ }).click();
    await sun.getByText(/您已投票/).waitFor(LIVE);
    await chair.getByRole('button', { name: '结束表决并计票' }).click();
    await sun.getByRole('heading', { name: /表决结果/ }).waitFor(LIVE);

    // A second vote on the same topic: she has not voted in it, so the buttons are back.
    await chair.getByLabel('表决内容').fill('是否同意先建充电棚？');
    await chair.getByRole('button', { name: '开始表决' }).click();
    await sun.getByRole('heading', { name: /是否同意先建充电棚/ }).waitFor(LIVE);
    expect(await sun.getByText(/您已投票/).count()).toBe(0);
    await sun.getByRole('button', { name: '赞成', exact: true }).click();
    await sun.getByText('您已投票：赞成').waitFor(LIVE);
    await sun.getByText('已计 1 人').first().waitFor(LIVE);
    await chair
      .getByText(/已计 1 人/)
      .first()
      .waitFor(LIVE);
  }, 120_000);
});
