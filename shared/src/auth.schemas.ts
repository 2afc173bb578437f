import { Type, type Static } from 'typebox';
import { LOCALES } from './errors.ts';
import { PLACE_KINDS, ROLES, UNIT_KINDS } from './roles.ts';

const strict = { additionalProperties: false } as const;

export const Username = Type.String({
  minLength: 3,
  maxLength: 32,
  pattern: '^[A-Za-z0-9_.-]+$',
  description: 'Letters, digits, dot, dash or underscore; 3–32 characters.',
});
export const Password = Type.String({ minLength: 8, maxLength: 128 });
export const DisplayName = Type.String({ minLength: 1, maxLength: 40 });
export const Phone = Type.String({
  pattern: '^1[3-9][0-9]{9}$',
  description: 'Mainland mobile number',
});
export const LocaleSchema = Type.Enum([...LOCALES]);
export const InvitationCode = Type.String({
  minLength: 8,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]+$',
});

export const RegisterBody = Type.Object(
  {
    username: Username,
    displayName: DisplayName,
    password: Password,
    phone: Type.Optional(Phone),
    locale: Type.Optional(LocaleSchema),
    invitationCode: Type.Optional(InvitationCode),
  },
  strict,
);
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  strict,
);
export type LoginBody = Static<typeof LoginBody>;

export const EmptyBody = Type.Object({}, strict);

export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: Password },
  strict,
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const UpdateProfileBody = Type.Object(
  { displayName: Type.Optional(DisplayName), locale: Type.Optional(LocaleSchema) },
  { ...strict, minProperties: 1 },
);
export type UpdateProfileBody = Static<typeof UpdateProfileBody>;

export const RoleSchema = Type.Enum([...ROLES]);
export const PlaceKindSchema = Type.Enum([...PLACE_KINDS]);
export const UnitKindSchema = Type.Enum([...UNIT_KINDS]);

export const PlaceRef = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: PlaceKindSchema,
});
export const UnitRef = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: UnitKindSchema,
});

export const RoleAssignmentView = Type.Object({
  id: Type.String(),
  role: RoleSchema,
  place: Type.Union([PlaceRef, Type.Null()]),
  unit: Type.Union([UnitRef, Type.Null()]),
});
export type RoleAssignmentView = Static<typeof RoleAssignmentView>;

export const MeView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  locale: LocaleSchema,
  roles: Type.Array(RoleAssignmentView),
});
export type MeView = Static<typeof MeView>;
