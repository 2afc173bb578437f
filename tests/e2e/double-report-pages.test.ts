import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';

// Every double-report page, for every demo role that uses them, on a 320 px phone in English:
// no sideways scrolling, and no Chinese punctuation or "·" glued to English words (Chinese
// user text is left alone: only punctuation touching Latin letters or digits counts).

const app = useDemoApp();
const pages = [
  '/double-report',
  '/double-report/mine',
  '/double-report/board',
  '/double-report/report',
];

/** Chinese punctuation against English text, and a "·" without a space on either side. */
const badPunctuation = /[A-Za-z0-9][：，（）。；！？、]|[（：，。；][A-Za-z0-9]|\S·|·\S/g;

async function inEnglish(username: string) {
  const page = await app.signIn(username, { width: 320, height: 720 });
  await page.getByRole('button', { name: 'EN', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
  return page;
}

async function itemLinks(page: Page) {
  await page.goto(`${app.url}/double-report`);
  const panel = page.getByRole('tabpanel');
  const links = new Set<string>();
  const tabs = [
    ['Needs', /^(Need|Micro-wish)$/],
    ['Resources', /^Resource$/],
    ['Projects', /^(Project|Task)$/],
  ] as const;
  for (const [tab, kind] of tabs) {
    await page.getByRole('tab', { name: tab }).click();
    // The panel has switched once its first card is of the tab's kind.
    await panel.getByRole('link').first().getByText(kind).waitFor();
    for (const href of await panel
      .getByRole('link')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? '')))
      links.add(href);
  }
  return [...links];
}

async function check(page: Page, path: string) {
  await page.goto(`${app.url}${path}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.getByText('Loading…').waitFor({ state: 'detached' });
  const width = await page.evaluate<number>('document.documentElement.scrollWidth');
  const text = await page.locator('main').innerText();
  return { path, width, punctuation: text.match(badPunctuation) ?? [] };
}

describe('double-report pages at 320 px in English', () => {
  for (const username of ['resident', 'member', 'unitrep', 'secretary'])
    it(`${username}: no sideways scroll, no Chinese punctuation in English`, async () => {
      const page = await inEnglish(username);
      const paths = [
        ...pages,
        ...(username === 'secretary' ? ['/double-report/review'] : []),
        ...(await itemLinks(page)),
      ];
      expect(paths.length).toBeGreaterThan(10);
      const results = [];
      for (const path of paths) results.push(await check(page, path));
      expect(results.filter((r) => r.width > 320 || r.punctuation.length)).toEqual([]);
      await page.context().close();
    });

  it('the people page names a unit representative as "Community · 区供电公司"', async () => {
    const page = await inEnglish('secretary');
    await page.goto(`${app.url}/people`);
    const row = page
      .getByRole('listitem')
      .filter({ hasText: '周代表' })
      .filter({ hasText: 'Unit representative' });
    await row.waitFor();
    expect(await row.innerText()).toContain('幸福社区 · Community · 区供电公司');
    await page.context().close();
  });
});
