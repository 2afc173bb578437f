import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';

// What a live page says about its connection: 已同步 while it is current, 离线 within 5 s of
// losing the network or the server, and 已同步 again once it is back, with nothing left over.
// Words and an icon, never the red accent.

const app = useDemoApp();

// The page's promise is 5 s (a probe every 2 s, 4.5 s of silence, a 0.5 s tick). The extra
// second and a half is for timers on a machine shared by busy test runs, not for the design.
const WITHIN_5_S = { timeout: 6_500 };
const BACK = { timeout: 20_000 };
const ACCENT = 'rgb(200, 22, 29)';
// The browser's, inside `evaluate` (the tests are compiled without the DOM library).
declare const getComputedStyle: (element: unknown) => { color: string };

const status = (page: Page) => page.getByTestId('live-status').first();

async function expectNotRed(page: Page) {
  const colour = await status(page).evaluate((el) => getComputedStyle(el).color);
  expect(colour).not.toBe(ACCENT);
  expect(await status(page).locator('svg').count()).toBe(1);
}

describe('the live status tells the truth about the connection', () => {
  it('the browser goes offline: 离线 at once, 已同步 and no error once back online', async () => {
    const page = await app.signIn('resident', { width: 375, height: 812 });
    await page.goto(`${app.url}/teams`);
    await status(page).getByText('已同步').waitFor();

    await page.context().setOffline(true);
    await status(page).getByText('离线').waitFor(WITHIN_5_S);
    await expectNotRed(page);
    await page.screenshot({ path: join(tmpdir(), 'live-offline-375.png') });

    await page.context().setOffline(false);
    await status(page).getByText('已同步').waitFor(BACK);
    expect(await page.getByText('离线').count()).toBe(0);
    await expectNotRed(page);
    await page.context().close();
  });

  it('the server freezes with the socket open: 离线 within 5 s, 已同步 when it answers again', async () => {
    const page = await app.signIn('resident', { width: 375, height: 812 });
    await page.goto(`${app.url}/double-report/board`);
    await status(page).getByText('已同步').waitFor();

    // No close, no offline event: only the silence says the connection is gone.
    const pid = app.server.child.pid!;
    process.kill(pid, 'SIGSTOP');
    try {
      await status(page).getByText('离线').waitFor(WITHIN_5_S);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await status(page).getByText('已同步').waitFor(BACK);
    expect(await page.getByText('离线').count()).toBe(0);
    await page.context().close();
  });

  it('a chair writing the minutes offline is told the edit will be sent, and it is', async () => {
    const chair = await app.signIn('secretary', { width: 1280, height: 800 });
    await chair.goto(`${app.url}/roundtables`);
    await chair.getByRole('link', { name: /电动车充电难/ }).click();
    const minutes = chair.getByLabel('议题纪要：楼道里给电动车充电太危险');
    await minutes.waitFor();
    const minutesStatus = chair
      .locator('section', { has: chair.getByRole('heading', { name: '会议纪要' }) })
      .getByTestId('live-status');
    await minutesStatus.getByText('已同步').waitFor();

    await chair.context().setOffline(true);
    await minutesStatus.getByText('您的更改将在恢复连接后发送').waitFor(WITHIN_5_S);
    const line = '离线时记下：下周再议充电桩收费。';
    await minutes.click();
    await minutes.press('End');
    await minutes.pressSequentially(line);
    await chair.screenshot({ path: join(tmpdir(), 'live-offline-minutes-1280.png') });

    await chair.context().setOffline(false);
    await minutesStatus.getByText('已同步').waitFor(BACK);
    expect(await chair.getByText('您的更改将在恢复连接后发送').count()).toBe(0);
    // Someone else opening the minutes now reads the line typed offline.
    const zhang = await app.signIn('resident', { width: 375, height: 812 });
    await zhang.goto(`${app.url}/roundtables`);
    await zhang.getByRole('link', { name: /电动车充电难/ }).click();
    await expect
      .poll(() => zhang.getByLabel('议题纪要：楼道里给电动车充电太危险').inputValue(), BACK)
      .toContain(line);
  });
});
