// Takes the README's screenshots from the real app with demo data:
//   npm run build && npx tsx scripts/screenshots.ts
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../tests/support/browser.ts';
import { removeDataDir, startServer } from '../tests/support/server.ts';

interface Shot {
  file: string;
  width: number;
  height: number;
  path: string;
  user?: string;
  locale?: 'zh-CN' | 'en';
  elder?: boolean;
  /** Clicks through to a page whose address holds an id the demo makes afresh. */
  then?: (page: Page) => Promise<void>;
}

const shots: Shot[] = [
  { file: 'home-phone-zh.png', width: 375, height: 812, path: '/', user: 'resident' },
  {
    file: 'home-laptop-en.png',
    width: 1280,
    height: 800,
    path: '/',
    user: 'secretary',
    locale: 'en',
  },
  { file: 'login-phone-elder.png', width: 375, height: 812, path: '/login', elder: true },
  {
    file: 'double-report-phone-zh.png',
    width: 375,
    height: 812,
    path: '/double-report',
    user: 'member',
  },
  {
    file: 'double-report-board-laptop.png',
    width: 1280,
    height: 900,
    path: '/double-report/board',
    user: 'secretary',
  },
  { file: 'people-phone-zh.png', width: 375, height: 812, path: '/people', user: 'secretary' },
  { file: 'teams-phone-zh.png', width: 375, height: 812, path: '/teams', user: 'volunteer' },
  {
    file: 'teams-activity-phone-zh.png',
    width: 375,
    height: 812,
    path: '/teams',
    user: 'volunteer',
    then: async (page) => {
      await page.getByRole('link', { name: /周六助老送餐/ }).click();
      await page.getByRole('heading', { name: '周六助老送餐' }).waitFor();
    },
  },
  {
    file: 'teams-roster-laptop.png',
    width: 1280,
    height: 900,
    path: '/teams',
    user: 'leader',
    then: async (page) => {
      await page.getByRole('link', { name: /楼道杂物清理/ }).click();
      await page.getByRole('link', { name: '名单与签到' }).click();
      await page.getByRole('img', { name: '活动签到二维码' }).waitFor();
    },
  },
];

async function take(browser: Browser, url: string, shot: Shot) {
  const context = await browser.newContext({
    viewport: { width: shot.width, height: shot.height },
  });
  // Runs in the page before the app starts (given as text: this file has no DOM types).
  await context.addInitScript({
    content: `localStorage.setItem('tongxin.locale', '${shot.locale ?? 'zh-CN'}');
      localStorage.setItem('tongxin.elder', '${shot.elder ? '1' : '0'}');`,
  });
  const page = await context.newPage();
  if (shot.user) {
    await page.goto(`${url}/login`);
    await page.locator('#username, input[name=username]').first().fill(shot.user);
    await page.locator('input[type=password]').first().fill('tongxin-demo');
    await page.locator('form button[type=submit]').first().click();
    await page.waitForURL(`${url}/`);
  }
  await page.goto(`${url}${shot.path}`);
  // A signed-in account's saved language wins at login, so switch as a person would.
  if (shot.user && shot.locale === 'en')
    await page.getByRole('button', { name: 'EN', exact: true }).click();
  await page.waitForLoadState('networkidle');
  if (shot.then) {
    await shot.then(page);
    await page.waitForLoadState('networkidle');
  }
  await page.screenshot({ path: `docs/screenshots/${shot.file}` });
  await context.close();
  console.log(`docs/screenshots/${shot.file}`);
}

const [server, browser] = await Promise.all([startServer(), launchBrowser()]);
try {
  for (const shot of shots) await take(browser, server.url, shot);
} finally {
  await browser.close();
  await server.stop();
  removeDataDir(server.dataDir);
}
