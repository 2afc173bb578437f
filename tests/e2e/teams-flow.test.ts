import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';
import { LIVE } from '../support/live-wait.ts';

// A volunteer signs up on a phone; a neighbour's open list shows the count change without a
// reload; the leader checks the volunteer in on a laptop (hours wait for the start); the
// leader's message rings the volunteer's bell.

const app = useDemoApp();

describe('volunteer sign-up, from a phone to points', () => {
  it('sign up on a 375 px phone, live count elsewhere, check-in by the leader, no hours before the start', async () => {
    const neighbour = await app.signIn('resident', { width: 375, height: 812 });
    await neighbour.goto(`${app.url}/teams`);
    await neighbour.getByText('已同步').waitFor();
    const card = neighbour.locator('li[data-activity]').filter({ hasText: '夜间平安巡逻' });
    await card.getByText('已报 2/8').waitFor();

    const volunteer = await app.signIn('volunteer', { width: 375, height: 812 });
    await volunteer.goto(`${app.url}/teams`);
    await volunteer.getByRole('link', { name: /夜间平安巡逻/ }).click();
    await volunteer.getByText('已同步').waitFor();
    const signUp = volunteer.getByRole('button', { name: '报名', exact: true });
    // One tap, thumb-sized: the whole width of the phone.
    const box = (await signUp.boundingBox())!;
    expect(box.width).toBeGreaterThan(300);
    expect(box.height).toBeGreaterThanOrEqual(44);
    await signUp.click();
    await volunteer.getByText('报名成功').waitFor();
    await volunteer.getByTestId('my-status').getByText('已报名').waitFor();
    // The neighbour's list follows without reloading.
    await card.getByText('已报 3/8').waitFor(LIVE);

    const leader = await app.signIn('leader', { width: 1280, height: 800 });
    await leader.goto(`${app.url}/teams`);
    await leader.getByRole('link', { name: /夜间平安巡逻/ }).click();
    await leader.getByRole('link', { name: '名单与签到' }).click();
    await leader.getByRole('button', { name: '已到: 陈志愿' }).click();
    // Tomorrow's activity: the hours wait for the start (teams-activity-ui confirms them after it).
    await leader.getByText(/开始后才能确认时长和积分/).waitFor();
    expect(await leader.getByRole('button', { name: '确认时长: 陈志愿' }).count()).toBe(0);

    await leader.getByLabel('给报名的人发消息').fill('今晚降温，请多穿一件');
    await leader.getByRole('button', { name: '发送' }).click();
    await leader.getByText('已发给 3 人。').waitFor();
    // The volunteer's bell counts up live.
    await volunteer.getByTestId('bell-count').getByText('1').waitFor(LIVE);

    await volunteer.goto(`${app.url}/teams/mine`);
    // 20 from the demo's earlier activity and bag; tomorrow's hours are not confirmed yet.
    await volunteer.getByTestId('balance').getByText('20').waitFor();

    await volunteer.getByTestId('bell').click();
    await volunteer.getByText('孙队长（夜间平安巡逻）：今晚降温，请多穿一件').waitFor();
    for (const page of [neighbour, volunteer, leader]) await page.context().close();
  });

  it('the secretary sets up a team of a custom kind and leads it until someone takes over', async () => {
    const secretary = await app.signIn('secretary', { width: 1280, height: 800 });
    await secretary.goto(`${app.url}/teams/groups`);
    await secretary.getByLabel('队名').fill('楼道微治理队');
    await secretary.getByLabel('服务类型').selectOption('custom');
    await secretary.getByLabel('类型名称').fill('楼道自治');
    await secretary.getByRole('button', { name: /创建/ }).click();
    const card = secretary.getByRole('listitem').filter({ hasText: '楼道微治理队' });
    await card.getByText('楼道自治').waitFor();
    await card.getByText('队长', { exact: true }).waitFor();
    await secretary.context().close();
  });

  it('someone in two communities picks which one the teams pages show, on a phone', async () => {
    // The organiser invites the volunteer of 幸福社区 to 和平社区 too (where she lives, say).
    const organiser = await app.signIn('organiser', { width: 1280, height: 800 });
    const places = (await (await organiser.request.get(`${app.url}/api/places`)).json()) as Array<{
      id: string;
      name: string;
    }>;
    const heping = places.find((p) => p.name === '和平社区')!.id;
    const invited = await organiser.request.post(`${app.url}/api/invitations`, {
      headers: { origin: app.url },
      data: { role: 'resident', placeId: heping },
    });
    expect(invited.status(), await invited.text()).toBe(201);
    const { code } = (await invited.json()) as { code: string };
    await organiser.context().close();

    const volunteer = await app.signIn('volunteer', { width: 375, height: 812 });
    await volunteer.goto(`${app.url}/invite/${code}`);
    await volunteer.getByRole('button', { name: '接受邀请' }).click();
    await volunteer.getByText('已加入').waitFor();

    await volunteer.goto(`${app.url}/teams/mine`);
    const choice = volunteer.getByLabel('社区', { exact: true });
    await choice.waitFor(); // once both her places have loaded
    expect(await choice.locator('option').allInnerTexts()).toEqual(['幸福社区', '和平社区']);
    await volunteer.getByTestId('balance').getByText('20').waitFor();
    await choice.selectOption({ label: '和平社区' });
    await volunteer.waitForURL((url) => url.searchParams.get('c') === heping);
    // 和平社区's points: none yet, and no "0 hours"-style leftovers of 幸福社区's.
    await volunteer.getByTestId('balance').getByText('0').waitFor();
    await volunteer.getByText('还没有积分记录').waitFor();
    // The tabs keep the choice: 和平社区 has no activities.
    await volunteer.getByRole('link', { name: '活动报名', exact: true }).click();
    await volunteer.waitForURL((url) => url.pathname === '/teams');
    expect(new URL(volunteer.url()).searchParams.get('c')).toBe(heping);
    expect(await volunteer.getByLabel('社区', { exact: true }).inputValue()).toBe(heping);
    await volunteer.getByText('没有符合条件的活动。').waitFor();
    await volunteer.context().close();
  });
});
