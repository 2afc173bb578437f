import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';

// A guest (访客) without an account: the chair makes a link on the console, the guest opens it
// on a phone, gives a name, watches, and may raise a hand only once the chair allows it.

const app = useDemoApp();

describe('a guest joins the live roundtable by the chair’s link', () => {
  it('watches, then speaks when the chair allows it', async () => {
    const chair = await app.signIn('secretary', { width: 1280, height: 800 });
    await chair.goto(`${app.url}/roundtables`);
    await chair.getByRole('link', { name: /电动车充电难/ }).click();
    await chair.getByRole('link', { name: '主持台' }).click();
    await chair.getByRole('button', { name: '生成访客链接' }).click();
    const link = await chair.getByLabel('访客链接').inputValue();
    expect(link).toContain('/guest?token=');

    const guest = await (
      await app.browser.newContext({ viewport: { width: 375, height: 812 } })
    ).newPage();
    await guest.goto(new URL(link, app.url).toString());
    await guest.getByRole('heading', { name: '以访客身份参加' }).waitFor();
    await guest.getByLabel('您的称呼').fill('王律师');
    await guest.getByRole('button', { name: '进入会场' }).click();
    await guest.getByText('您以访客身份参加').waitFor();
    await guest.getByText('已同步').first().waitFor();
    // A guest watches: no vote buttons, no raising a hand yet.
    await guest.getByRole('heading', { name: /正在表决/ }).waitFor();
    await expect(guest.getByRole('button', { name: /先在 1 号楼/ }).count()).resolves.toBe(0);
    await expect(guest.getByRole('button', { name: '举手发言' }).count()).resolves.toBe(0);
    await guest.screenshot({ path: 'docs/screenshots/roundtable-guest-phone-zh.png' });

    await chair.getByRole('button', { name: '允许 王律师 发言' }).click();
    await guest.getByText('主持人已允许您发言').waitFor();
    await guest.getByRole('button', { name: '举手发言' }).click();
    await chair.getByText('王律师').first().waitFor();
    await guest.getByRole('button', { name: /放下手/ }).waitFor();
  });
});
