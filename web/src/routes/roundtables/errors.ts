import { ApiError } from '$lib/api';
import { describeError } from '$lib/errors';
import { m } from '$lib/paraglide/messages';

/**
 * Why a roundtable page could not load. An address whose id is not a roundtable's (mistyped,
 * cut short, or gone) reads as "not found", not as the server's “id”的格式不正确.
 */
export function describeLoadError(error: unknown): string {
  if (
    error instanceof ApiError &&
    (error.status === 404 || (error.status === 400 && error.field === 'id'))
  )
    return m.rt_not_found();
  return describeError(error);
}
