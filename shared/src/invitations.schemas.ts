import { Type, type Static } from 'typebox';
import { InvitationCode, PlaceRef, RoleSchema, UnitRef } from './auth.schemas.ts';

export const CreateInvitationBody = Type.Object(
  {
    role: RoleSchema,
    placeId: Type.String({ minLength: 1, maxLength: 64 }),
    unitId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    note: Type.Optional(
      Type.String({ maxLength: 80, description: 'Who it is for, shown to the inviter only' }),
    ),
    maxUses: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
  },
  { additionalProperties: false },
);
export type CreateInvitationBody = Static<typeof CreateInvitationBody>;

export const InvitationView = Type.Object({
  code: Type.String(),
  role: RoleSchema,
  place: PlaceRef,
  unit: Type.Union([UnitRef, Type.Null()]),
  invitedBy: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  maxUses: Type.Integer(),
  usedCount: Type.Integer(),
  expiresAt: Type.String(),
});
export type InvitationView = Static<typeof InvitationView>;

export const AcceptInvitationBody = Type.Object(
  { code: InvitationCode },
  { additionalProperties: false },
);
export type AcceptInvitationBody = Static<typeof AcceptInvitationBody>;
