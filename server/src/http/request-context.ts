import type { FastifyRequest } from 'fastify';
import { DEFAULT_LOCALE, type Locale } from '@tongxin/shared/errors';
import type { User } from '@tongxin/db/database';
import { AppError } from './app-error.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, from the session cookie; never from the request body. */
    user: User | null;
    sessionToken: string | null;
  }
}

/**
 * The path the router matched (`/api/auth/login`, `/yjs/:docName`), not the raw URL: the
 * router decodes `%61pi` to `api`, so a check on the raw URL would let `/%61pi/auth/login`
 * reach the route while skipping whatever the check guards (the rate limit did).
 * Requests that matched no route fall back to the decoded path.
 */
export function routePath(request: FastifyRequest): string {
  const matched = request.routeOptions.url;
  if (matched) return matched;
  const raw = request.url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export const isApiRequest = (request: FastifyRequest) => routePath(request).startsWith('/api/');
export const isLiveRequest = (request: FastifyRequest) => routePath(request).startsWith('/yjs/');

export function requireUser(request: FastifyRequest): User {
  if (!request.user) throw new AppError(401, 'unauthenticated');
  return request.user;
}

/** The language for messages: the user's setting, else the browser's. */
export function requestLocale(request: FastifyRequest): Locale {
  if (request.user) return request.user.locale;
  const accept = request.headers['accept-language'] ?? '';
  const first = accept.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : DEFAULT_LOCALE;
}
