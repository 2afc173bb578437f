import { resolve } from '$app/paths';
import type { ResolvedPathname } from '$app/types';

/** Adds a query string to a resolved app path. */
export function withQuery(path: ResolvedPathname, query: Record<string, string>): ResolvedPathname {
  return `${path}?${new URLSearchParams(query)}` as ResolvedPathname;
}

/**
 * Where to go after logging in: only a path inside this app (never `//host` or a full URL),
 * else the home page.
 */
export function safeNext(next: string | null): ResolvedPathname {
  if (next && next.startsWith('/') && !next.startsWith('//')) return next as ResolvedPathname;
  return resolve('/');
}
