import { expect } from 'vitest';
import type { App } from '@tongxin/server';
import type { ActivityView } from '@tongxin/shared/teams/teams.schemas';
import { TestClient } from '../../support/http.ts';

export interface TeamsWorld {
  secretary: TestClient;
  leader: TestClient;
  community: string;
  teamId: string;
}

/** The demo secretary sets up a fresh team led by the demo leader (孙队长). */
export async function teamsWorld(app: App, joinPolicy: 'open' | 'approval' = 'open') {
  const secretary = new TestClient(app);
  await secretary.login('secretary', 'tongxin-demo');
  const leader = new TestClient(app);
  await leader.login('leader', 'tongxin-demo');
  const places = (await secretary.get('/api/places')).json<{ id: string; name: string }[]>();
  const community = places.find((p) => p.name === '幸福社区')!.id;
  const leaderId = (await leader.get('/api/auth/me')).json<{ id: string }>().id;
  const team = await secretary.post(`/api/communities/${community}/teams`, {
    name: `测试队${Math.random().toString(36).slice(2, 8)}`,
    kind: 'mutual_aid',
    joinPolicy,
    leaderId,
  });
  expect(team.statusCode, team.body).toBe(201);
  return {
    secretary,
    leader,
    community,
    teamId: team.json<{ team: { id: string } }>().team.id,
  } satisfies TeamsWorld;
}

const hours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

/** The leader publishes an activity `startInHours` from now, two hours long. */
export async function newActivity(
  w: TeamsWorld,
  capacity: number,
  extra: Record<string, unknown> = {},
  startInHours = 48,
): Promise<ActivityView> {
  const res = await w.leader.post(`/api/communities/${w.community}/activities`, {
    teamId: w.teamId,
    title: `活动${Math.random().toString(36).slice(2, 6)}`,
    place: '社区服务站',
    startsAt: hours(startInHours),
    endsAt: hours(startInHours + 2),
    capacity,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<ActivityView>();
}

export const codeOf = (r: { json: <T>() => T }) => r.json<{ error: { code: string } }>().error.code;
