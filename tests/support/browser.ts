import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, with the flags this machine's closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A demo account signed in through the login page, in a fresh context of the given size. */
export async function signIn(
  browser: Browser,
  baseUrl: string,
  username: string,
  viewport: { width: number; height: number },
): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill('tongxin-demo');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  // The login page has a heading too: wait until it has been left.
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}
