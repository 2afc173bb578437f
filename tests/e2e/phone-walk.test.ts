import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';
import { PHONE } from '../support/page-walk.ts';

// What a walk through the app on a 375 px phone found, as the people using it would meet it:
// the English tab bar cut words anywhere ("Roundta / bles", "Servic / e"); the rider, who holds
// no role, had no way to 随手拍 among home's cards and saw an empty community's list first; the
// report form sent a description of spaces and one past its limit to be refused in general
// words; and after one account logged out, the next one on the same phone was shown the first
// one's community.

const app = useDemoApp();

/** Signed in on a phone, in English or Chinese, the elder mode on or off. */
async function phone(username: string, options: { en?: boolean; elder?: boolean } = {}) {
  const page = await app.signIn(username, PHONE);
  // The choice is saved to the account: say it each time, as an earlier test may have changed it.
  await page.getByRole('button', { name: options.en ? 'EN' : '中文', exact: true }).click();
  if (options.elder) {
    await page.getByRole('button', { name: options.en ? 'Elder mode' : '长辈版' }).click();
    await page.locator('html[data-elder]').waitFor({ state: 'attached' });
  }
  return page;
}

/**
 * The tab bar's words that a line break cuts where the label marks no break (a soft hyphen),
 * as "label: word" (a string: it runs in the page, whose types this file does not know).
 */
const CUT_WORDS = `(() => {
  const cut = [];
  for (const link of document.querySelectorAll('nav.fixed a')) {
    const walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/[^\\s\\u00ad]+/g)) {
        // Each letter's line: its last box (one after a break also boxes the hyphen before it).
        const tops = new Set();
        for (let i = match.index; i < match.index + match[0].length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          tops.add(Math.round([...range.getClientRects()].at(-1).top));
        }
        if (tops.size > 1) cut.push(link.textContent.trim() + ': ' + match[0]);
      }
    }
  }
  return cut;
})()`;

describe('the app on a phone', () => {
  it('the English tab bar breaks its labels between words or at a marked hyphen, elder mode too', async () => {
    for (const elder of [false, true]) {
      const page = await phone('resident', { en: true, elder });
      await page.getByRole('link', { name: 'Roundtables', exact: true }).waitFor();
      await page.getByRole('link', { name: 'Problems', exact: true }).waitFor();
      expect(await page.evaluate<string[]>(CUT_WORDS), `elder ${elder}`).toEqual([]);
      await page.context().close();
    }
  });

  it('the rider finds 随手拍 on home and his own reports’ community first', async () => {
    const page = await phone('rider');
    const main = page.getByRole('main');
    await main.getByRole('link', { name: /随手拍/ }).click();
    await page.waitForURL(/\/problems$/);
    // He holds no role anywhere: the list opens on the community he last reported in, not on
    // the first one of the district (和平社区 has no reports at all).
    await expect
      .poll(async () => {
        const select = main.getByLabel('社区');
        return select.locator(`option[value="${await select.inputValue()}"]`).textContent();
      })
      .toBe('幸福社区');
    await main.getByRole('listitem').first().waitFor();
    await page.context().close();
  });

  it('the report form says what is missing, and sends nothing blank or past its limit', async () => {
    const page = await phone('rider');
    const posted: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/problems')
        posted.push(r.url());
    });
    await page.goto(`${app.url}/problems/new`);
    const submit = page.getByRole('button', { name: '提交', exact: true });
    const description = page.getByLabel('问题描述');

    // Nothing chosen or written: both are said at once.
    await submit.click();
    await page.getByText('请选择问题类别。').waitFor();
    await page.getByText('请写一句问题描述：什么问题、在哪里。').waitFor();

    // Spaces only: said beside the box, which gets the focus.
    await page.getByText('停车', { exact: true }).click();
    await description.fill('   ');
    await submit.click();
    await page.getByText('请写一句问题描述：什么问题、在哪里。').waitFor();
    expect(await description.evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true);
    expect(await description.getAttribute('aria-invalid')).toBe('true');

    // Past the limit: the box says by how much, and the form does not send it.
    await description.fill('井'.repeat(510));
    await submit.click();
    await page.getByText('最多 500 个字，已超出 10 个字，请删短一些。').waitFor();
    expect(posted).toEqual([]);
    // The box still tells a screen reader its hint, its error and its count.
    const ids = (await description.getAttribute('aria-describedby'))!.split(' ');
    expect(ids).toHaveLength(3);
    await page.context().close();
  });

  it('after one account logs out, the next one on the same phone sees only its own', async () => {
    const page: Page = await phone('resident');
    await page
      .getByRole('main')
      .getByRole('link', { name: /服务队/ })
      .click();
    await page.getByRole('heading', { level: 2 }).first().waitFor();
    await page.getByRole('button', { name: '张阿姨' }).click();
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(`${app.url}/login`);

    await page.getByLabel('用户名', { exact: true }).fill('rider');
    await page.getByLabel('密码', { exact: true }).fill('tongxin-demo');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL(`${app.url}/`);
    await page
      .getByRole('navigation', { name: '主要栏目' })
      .getByRole('link', { name: '服务队' })
      .click();
    // The rider belongs to no community: not 张阿姨's community and a refusal to show it.
    await page.getByRole('heading', { name: '您还没有加入社区' }).waitFor();
    expect(await page.getByText('您不属于这个社区').count()).toBe(0);
    await page.context().close();
  });
});
