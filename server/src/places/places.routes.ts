import { Type } from 'typebox';
import { PlaceNode } from '@tongxin/shared/places.schemas';
import { listPlaces } from '@tongxin/db/places/places.queries';
import type { App } from '../http/types.ts';

export async function placeRoutes(app: App) {
  // The map of places is public knowledge (street names, compounds), so no login is needed.
  app.get(
    '/places',
    { schema: { tags: ['places'], response: { 200: Type.Array(PlaceNode) } } },
    async () =>
      (await listPlaces(app.db)).map((p) => ({
        id: p.id,
        parentId: p.parentId,
        kind: p.kind,
        name: p.name,
      })),
  );
}
