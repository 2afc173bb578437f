import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';

// Drives the built web app in real Chromium against the real server with demo data.
// Locators go by role and label, as a screen reader would find things.

const app = useDemoApp();

/** A fresh phone-sized browser context: no cookies, no saved language. */
async function phonePage(): Promise<Page> {
  const context = await app.browser.newContext({ viewport: { width: 375, height: 812 } });
  return context.newPage();
}

const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');

async function logIn(page: Page, username: string, password: string) {
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

describe('signing in and out', () => {
  it('logs the demo resident in, in Chinese, switches to English and logs out', async () => {
    const page = await phonePage();
    await page.goto(`${app.url}/`);
    // The home page needs a login, and sends the person back to it afterwards.
    await page.waitForURL(/\/login\?next=%2F$/);

    await logIn(page, 'resident', 'tongxin-demo');
    await page.waitForURL(`${app.url}/`);
    await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    await page.getByRole('heading', { level: 2, name: '我的社区与身份' }).waitFor();
    expect(await htmlLang(page)).toBe('zh-CN');

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'My places and roles' }).waitFor();
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    expect(await htmlLang(page)).toBe('en');

    await page.getByRole('button', { name: '张阿姨' }).click();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${app.url}/login`);
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    await page.context().close();
  });

  it('says in words that the password is wrong', async () => {
    const page = await phonePage();
    await page.goto(`${app.url}/login`);
    await logIn(page, 'resident', 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('用户名或密码不正确');
    await page.context().close();
  });

  it('registers a new account and lands on its home page', async () => {
    const page = await phonePage();
    await page.goto(`${app.url}/register`);
    await page.getByLabel('用户名', { exact: true }).fill('new.neighbour');
    await page.getByLabel('显示名称', { exact: true }).fill('新邻居');
    await page.getByLabel('密码', { exact: true }).fill('a-long-password');
    await page.getByRole('button', { name: '注册', exact: true }).click();
    await page.waitForURL(`${app.url}/`);
    await page.getByRole('heading', { level: 1, name: '新邻居，您好' }).waitFor();
    // A new account holds no role yet, and the page says what to do about it.
    await page.getByRole('heading', { name: '您还没有加入社区' }).waitFor();
    await page.context().close();
  });
});
