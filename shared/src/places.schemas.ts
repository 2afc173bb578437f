import { Type, type Static } from 'typebox';
import { PlaceKindSchema } from './auth.schemas.ts';

export const PlaceNode = Type.Object({
  id: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  kind: PlaceKindSchema,
  name: Type.String(),
});
export type PlaceNode = Static<typeof PlaceNode>;
