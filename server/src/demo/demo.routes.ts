import { Type } from 'typebox';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '@tongxin/db';
import type { App } from '../http/types.ts';

const roleLabels: Record<string, string> = {
  resident: '居民 Resident',
  secretary: '社区党委书记 Party secretary',
  scribe: '记录员 Scribe',
  volunteer: '志愿者 Volunteer',
  team_leader: '队长 Team leader',
  unit_rep: '报到单位代表 Unit representative',
  party_member: '在职党员 In-service party member',
  organiser: '区委组织部 District organiser',
};

const DemoInfo = Type.Object({
  enabled: Type.Boolean(),
  accounts: Type.Array(
    Type.Object({
      username: Type.String(),
      password: Type.String(),
      displayName: Type.String(),
      roleLabel: Type.String(),
    }),
  ),
});

/** Lets the login page offer the demo accounts, only while demo data is switched on. */
export async function demoRoutes(app: App, options: { enabled: boolean }) {
  app.get('/demo', { schema: { tags: ['demo'], response: { 200: DemoInfo } } }, async () => ({
    enabled: options.enabled,
    accounts: options.enabled
      ? DEMO_ACCOUNTS.map((a) => ({
          username: a.username,
          password: DEMO_PASSWORD,
          displayName: a.displayName,
          roleLabel: roleLabels[a.role] ?? a.role,
        }))
      : [],
  }));
}
