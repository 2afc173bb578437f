import { m } from '$lib/paraglide/messages';
import { ApiError } from './api';
import { refusalText } from './refusals';

/** One sentence for a failed request, for people (never just a status code). */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return m.error_unexpected();
  if (error.code === 'network') return m.error_network();
  if (error.code === 'rate_limited' && error.retryAfter) {
    return m.error_rate_limited({ minutes: Math.max(1, Math.ceil(error.retryAfter / 60)) });
  }
  return refusalText(error.code, error.params) ?? (error.message || m.error_unexpected());
}

/** What a form shows: inline errors by field, and one message for the whole form. */
export interface FormErrors {
  form?: string;
  fields: Partial<Record<string, string>>;
}

/** Puts a server error next to the field it names when the form has that field, else on top. */
export function toFormErrors(error: unknown, fields: readonly string[]): FormErrors {
  if (error instanceof ApiError && error.field && fields.includes(error.field)) {
    return { fields: { [error.field]: describeError(error) } };
  }
  return { form: describeError(error), fields: {} };
}

/**
 * Whether a page's own thing (the id or code in its address) does not exist: the server
 * answers 404 for an unknown id and for one that cannot be an id at all.
 */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
