export * from './roles.ts';
export * from './errors.ts';
export * from './auth.schemas.ts';
export * from './invitations.schemas.ts';
export * from './places.schemas.ts';
export * from './people.schemas.ts';
