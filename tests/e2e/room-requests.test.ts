import type { Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';

// Issue 19, cause 1: an open room page read its two API views again on every change of the
// live room (each arrival, each ballot), because the room state is a new object on every
// change. Pages follow the live document and read the API only when what it answers changed.

const app = useDemoApp();
const LIVE = { timeout: 10_000 };
const BARRIER = '/api/health?barrier';

async function openRoom(page: Page) {
  await page.goto(`${app.url}/roundtables`);
  await page.getByRole('link', { name: /电动车充电难/ }).click();
  await page.getByText('已同步').first().waitFor();
}

/** Every /api request a page makes from now on, but the test's own barrier requests. */
function record(page: Page): Request[] {
  const seen: Request[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/') && !r.url().endsWith(BARRIER)) seen.push(r);
  });
  return seen;
}

/**
 * Requests reach the test in the order the page made them: once the page's own barrier
 * request has been seen, every request it made before has been recorded.
 */
async function settle(page: Page) {
  await Promise.all([
    page.waitForRequest((r) => r.url().endsWith(BARRIER)),
    page.evaluate((url) => fetch(url).then(() => undefined), BARRIER),
  ]);
}

const count = async (page: Page, pattern: RegExp) =>
  Number((await page.getByText(pattern).first().textContent())!.match(pattern)![1]);

const gets = (requests: Request[]) =>
  requests.filter((r) => r.method() === 'GET').map((r) => new URL(r.url()).pathname);

describe('open room pages during the meeting', () => {
  it('read nothing from the API when only the present count or the tally changes', async () => {
    const resident = await app.signIn('member', { width: 375, height: 812 });
    await openRoom(resident);
    await resident.getByRole('heading', { name: /正在表决/ }).waitFor();
    const chair = await app.signIn('secretary', { width: 1280, height: 800 });
    await openRoom(chair);
    await chair.getByRole('link', { name: '主持台' }).click();
    await chair.getByRole('heading', { name: /主持台/ }).waitFor();
    await chair
      .getByText(/已计 \d+ 人/)
      .first()
      .waitFor();
    await Promise.all([settle(resident), settle(chair)]);

    const fromResident = record(resident);
    const fromChair = record(chair);
    const present = await count(resident, /到会 (\d+) 人/);
    const counted = await count(resident, /已计 (\d+) 人/);

    // Others open the room (watching), check in and vote, one after the other: 孙队长 and 赵记录
    // have not checked in to the demo meeting; 刘大爷 has, and has not voted yet.
    let arrived = 0;
    let voted = 0;
    for (const name of ['leader', 'scribe', 'resident2']) {
      const other = await app.signIn(name, { width: 375, height: 812 });
      await openRoom(other);
      if (name !== 'resident2') {
        await other.getByRole('button', { name: '我到场了（签到）' }).click();
        await other.getByText('您已签到').waitFor(LIVE);
        arrived += 1;
        await resident
          .getByText(`到会 ${present + arrived} 人`)
          .first()
          .waitFor(LIVE);
        await chair
          .getByText(`到会 ${present + arrived} 人`)
          .first()
          .waitFor(LIVE);
      }
      // The voter's own page: once its check-in has come back through the room, a ballot is
      // one request, the POST (the page writes my ballot in itself, without reading `me`).
      await other
        .getByText(`到会 ${present + arrived} 人`)
        .first()
        .waitFor(LIVE);
      await settle(other);
      const fromVoter = record(other);
      await other.getByRole('button', { name: /先在 1 号楼/ }).click();
      await other.getByText(/您已投票/).waitFor(LIVE);
      await settle(other);
      expect(fromVoter.map((r) => `${r.method()} ${new URL(r.url()).pathname}`)).toEqual([
        expect.stringMatching(/^POST \/api\/votes\/[^/]+\/ballots$/),
      ]);
      voted += 1;
      await resident
        .getByText(`已计 ${counted + voted} 人`)
        .first()
        .waitFor(LIVE);
      await chair
        .getByText(new RegExp(`已计 ${counted + voted} 人`))
        .first()
        .waitFor(LIVE);
      await other.context().close();
    }
    await Promise.all([settle(resident), settle(chair)]);
    expect(fromResident.map((r) => r.url())).toEqual([]);
    expect(fromChair.map((r) => r.url())).toEqual([]);

    // Real changes: the chair closes the vote and takes up the next topic. Each page reads each
    // view at most once (the console after its own commands, one at a time; the resident's
    // views answer nothing about either).
    await chair.getByRole('button', { name: '结束表决并计票' }).click();
    await resident.getByRole('heading', { name: /表决结果/ }).waitFor(LIVE);
    await Promise.all([settle(resident), settle(chair)]);
    expect(gets(fromResident)).toEqual([]);
    expect(new Set(gets(fromChair)).size).toBe(gets(fromChair).length);
    fromChair.length = 0;
    const next = chair
      .getByRole('group', { name: '选择正在讨论的议题' })
      .locator('button[aria-pressed="false"]')
      .first();
    const title = (await next.textContent())!
      .replace(/^\s*\d+\.\s*/, '')
      .replace(/( ✓| · 暂缓)\s*$/, '')
      .trim();
    await next.click();
    await resident.getByRole('region', { name: '正在讨论' }).getByText(title).waitFor(LIVE);
    await Promise.all([settle(resident), settle(chair)]);
    for (const requests of [gets(fromResident), gets(fromChair)]) {
      for (const path of new Set(requests)) {
        expect(
          requests.filter((p) => p === path),
          path,
        ).toHaveLength(1);
      }
    }
  }, 180_000);
});
