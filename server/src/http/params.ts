import { Type } from 'typebox';

/** `/:id` in a route path: a UUID, or a 404 (not found) before the handler runs. */
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
