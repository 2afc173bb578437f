import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';

// A secretary invites a neighbour by link; the neighbour registers from the link and
// holds the role. Two separate browser contexts: two people, two devices.

const app = useDemoApp();

describe('an invitation, from the secretary’s laptop to a resident’s phone', () => {
  it('is created in the console, opened by link, registered through and accepted', async () => {
    const laptop = await (
      await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    ).newPage();
    await laptop.goto(`${app.url}/login`);
    await laptop.getByLabel('用户名', { exact: true }).fill('secretary');
    await laptop.getByLabel('密码', { exact: true }).fill('tongxin-demo');
    await laptop.getByRole('button', { name: '登录', exact: true }).click();
    await laptop.getByRole('heading', { level: 2, name: '邀请' }).waitFor();
    await laptop.getByLabel('备注').fill('3号楼 王阿姨');
    await laptop.getByRole('button', { name: '生成邀请' }).click();
    await laptop.getByText('邀请已生成').waitFor();
    const link = await laptop.getByLabel('邀请链接').inputValue();
    expect(link).toMatch(new RegExp(`^${app.url}/invite/[A-Za-z0-9_-]+$`));
    await laptop.getByRole('img', { name: '邀请链接的二维码' }).waitFor();

    const phone = await (
      await app.browser.newContext({ viewport: { width: 375, height: 812 } })
    ).newPage();
    await phone.goto(link);
    await phone.getByText('李书记 邀请您以居民身份加入幸福社区').waitFor();
    await phone.getByRole('link', { name: '注册并加入' }).click();
    await phone.getByLabel('用户名', { exact: true }).fill('wang.ayi');
    await phone.getByLabel('显示名称', { exact: true }).fill('王阿姨');
    await phone.getByLabel('密码', { exact: true }).fill('a-long-password');
    await phone.getByRole('button', { name: '注册', exact: true }).click();
    await phone.getByRole('heading', { level: 1, name: '王阿姨，您好' }).waitFor();
    await phone.getByText('幸福社区').first().waitFor();
    expect(await phone.getByRole('main').innerText()).toContain('居民');

    // The secretary's list shows the invitation used.
    await laptop.reload();
    await laptop.getByText('已用 1/1 次').waitFor();
    await laptop.context().close();
    await phone.context().close();
  });
});
