import type { MeView } from '@tongxin/shared/auth.schemas';

export type ManagedPlace = NonNullable<MeView['roles'][number]['place']>;

/** Places whose people this person manages: where they are secretary or organiser. */
export function managedPlaces(me: MeView): ManagedPlace[] {
  const seen = new Set<string>();
  return me.roles.flatMap((r) => {
    if ((r.role !== 'secretary' && r.role !== 'organiser') || !r.place) return [];
    if (seen.has(r.place.id)) return [];
    seen.add(r.place.id);
    return [r.place];
  });
}
