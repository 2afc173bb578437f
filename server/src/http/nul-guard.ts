import type { FastifyInstance } from 'fastify';
import { AppError } from './app-error.ts';
import { fieldLabel } from './messages.ts';
import { requestLocale } from './request-context.ts';

/** The path (`title`, `items.2.text`) of the first string holding U+0000, or null. */
function findNul(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes('\u0000')) return [...path, key];
      const found = findNul(inner, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Postgres cannot store U+0000 in text (22021), so a NUL anywhere in a body, query or path
 * parameter is refused here, once for every route, before validation and any write.
 */
export function registerNulGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    for (const part of [request.params, request.query, request.body]) {
      const path = findNul(part);
      if (!path) continue;
      const field = path[0];
      const locale = requestLocale(request);
      const label = fieldLabel(field ?? '', locale);
      throw new AppError(
        400,
        'validation_failed',
        locale === 'en'
          ? `${label} contains a NUL character (U+0000); remove it and try again.`
          : `${label}中含有空字符（U+0000），请删除后重试。`,
        field,
      );
    }
  });
}
