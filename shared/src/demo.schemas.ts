import { Type, type Static } from 'typebox';
import { ROLES } from './roles.ts';

/** GET /api/demo: the demo accounts, offered on the login page only by a demo server. */
export const DemoInfo = Type.Object({
  enabled: Type.Boolean(),
  accounts: Type.Array(
    Type.Object({
      username: Type.String(),
      password: Type.String(),
      displayName: Type.String(),
      // A role code, which the page names in the viewer's language; null for an account
      // with no role (a delivery rider who only reports problems).
      role: Type.Union([Type.Enum([...ROLES]), Type.Null()]),
      placeName: Type.String(),
    }),
  ),
});
export type DemoInfo = Static<typeof DemoInfo>;
export type DemoAccountInfo = DemoInfo['accounts'][number];
