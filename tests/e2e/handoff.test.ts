import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';

// Issue 18 item 2: from the chair's console an action item is published as a 双报到 project;
// the item shows the linked project and its state, and the project's page leads back.

const app = useDemoApp();

describe('action items handed on, in the browser', () => {
  it('the chair publishes a unit’s item as a project on a phone; both pages link to each other', async () => {
    const page = await app.signIn('secretary', { width: 375, height: 800 });
    const listed = (await (await page.request.get(`${app.url}/api/roundtables`)).json()) as
      { id: string; title: string }[] | { roundtables: { id: string; title: string }[] };
    const rts = Array.isArray(listed) ? listed : listed.roundtables;
    const act = rts.find((r) => r.title === '玻璃厂小区路灯维修')!;
    await page.goto(`${app.url}/roundtables/${act.id}/console`);

    // The demo's item already handed on: the project, delivered and awaiting confirmation.
    const delivered = page.locator('li', { hasText: '更换2号楼至大门段路灯灯杆' });
    await expect
      .poll(() => delivered.getByText('已交付，待社区确认').count(), { timeout: 15_000 })
      .toBe(1);

    // 区供电公司's other item: 发布为双报到项目 opens a form prefilled from the item.
    const item = page.locator('li', { hasText: '更换主路损坏路灯' });
    await item.getByRole('button', { name: '发布为双报到项目' }).click();
    const title = item.getByLabel('标题');
    await expect.poll(() => title.inputValue()).toBe('更换主路损坏路灯');
    await expect.poll(() => title.evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true);
    await item.getByRole('button', { name: '发布', exact: true }).click();
    await expect.poll(() => item.getByText('待认领').count(), { timeout: 10_000 }).toBe(1);

    // The project's page: 来自圆桌会议决议, linking back to the roundtable.
    await item.getByRole('link', { name: '更换主路损坏路灯' }).click();
    await page.getByText('来自圆桌会议决议：').first().waitFor({ timeout: 10_000 });
    const back = page.getByRole('link', { name: /区供电公司两周内修好主路路灯/ });
    expect(await back.getAttribute('href')).toBe(`/roundtables/${act.id}`);
  }, 60_000);
});
