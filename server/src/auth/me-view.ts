import type { MeView, RoleAssignmentView } from '@tongxin/shared/auth.schemas';
import type { DbOrTx } from '@tongxin/db/create-db';
import type { User } from '@tongxin/db/database';
import { listUserRoles, type RoleAssignmentDetail } from '@tongxin/db/places/places.queries';

export function toRoleView(r: RoleAssignmentDetail): RoleAssignmentView {
  return {
    id: r.id,
    role: r.role,
    place: { id: r.placeId, name: r.placeName, kind: r.placeKind },
    unit:
      r.unitId && r.unitName && r.unitKind
        ? { id: r.unitId, name: r.unitName, kind: r.unitKind }
        : null,
  };
}

export async function loadMeView(db: DbOrTx, user: User): Promise<MeView> {
  const roles = await listUserRoles(db, user.id);
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    phone: user.phone,
    locale: user.locale,
    roles: roles.map(toRoleView),
  };
}
