import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';
import { LIVE } from '../support/live-wait.ts';

// The secretary revokes a volunteer's role from a phone, by keyboard-reachable buttons with a
// confirmation step; the volunteer's bell rings live with the reason they lost it.

const app = useDemoApp();

const signIn = (username: string) => app.signIn(username, { width: 375, height: 812 });

describe('people and roles (成员与角色)', () => {
  it('a secretary finds a volunteer, revokes the role after confirming, and the volunteer is told live', async () => {
    const volunteer = await signIn('volunteer');
    await volunteer.getByTestId('bell').waitFor();

    const secretary = await signIn('secretary');
    await secretary.getByRole('link', { name: '管理成员与角色' }).click();
    await secretary.getByRole('heading', { name: '成员与角色' }).waitFor();
    await secretary.getByLabel('角色').selectOption({ label: '志愿者' });
    await secretary.getByLabel('姓名或用户名').fill('陈志');
    await secretary.getByRole('button', { name: '查找' }).click();
    await secretary.getByText('显示 1 / 共 1 条').waitFor();
    const row = secretary.locator('li').filter({ hasText: '陈志愿' });
    // No horizontal scrolling on a 375 px phone.
    // (Expressions as text: this file has no DOM types.)
    expect(await secretary.evaluate<number>('document.documentElement.scrollWidth')).toBe(375);

    await row.getByRole('button', { name: '撤销 陈志愿 的志愿者身份' }).click();
    await row.getByText('确定撤销 陈志愿 在幸福社区的志愿者身份吗？').waitFor();
    // The confirmation takes the focus, so a keyboard or screen-reader user lands on it.
    expect(await secretary.evaluate<string>('document.activeElement?.textContent?.trim()')).toBe(
      '确定撤销',
    );
    await secretary.keyboard.press('Enter');
    await secretary.getByRole('status').getByText('已撤销 陈志愿 的志愿者身份。').waitFor();
    await row.waitFor({ state: 'detached' });
    await secretary.getByText('没有找到成员').waitFor();

    // The volunteer's bell counts up without a reload, and says what happened.
    await volunteer.getByTestId('bell-count').getByText('1').waitFor(LIVE);
    await volunteer.getByTestId('bell').click();
    await volunteer.getByText('您在幸福社区的志愿者身份已被撤销。如有疑问，请联系社区。').waitFor();
    for (const page of [volunteer, secretary]) await page.context().close();
  });

  it('tells a resident that only secretaries manage people', async () => {
    const resident = await signIn('resident');
    await resident.goto(`${app.url}/people`);
    await resident.getByText('只有书记和组织部可以管理成员').waitFor();
    await resident.context().close();
  });
});
