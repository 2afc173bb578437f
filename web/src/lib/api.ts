import type { ApiErrorBody, ErrorCode } from '@tongxin/shared/errors';
import { getLocale } from '$lib/paraglide/runtime';

/** A failed API call. `message` is readable as it stands (the server writes it in our language). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The server's stable code, or 'network' when no answer arrived at all. */
    readonly code: ErrorCode | 'network',
    message: string,
    /** The form field the error is about, when the server names one. */
    readonly field?: string,
    /** Seconds to wait before trying again (from Retry-After on 429). */
    readonly retryAfter?: number,
    /** A refusal's parameters (shared/src/<feature>/refusals.ts). */
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

async function request<T>(method: Method, path: string, body?: object): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    // So that the server's error messages come back in the language on screen.
    'accept-language': getLocale(),
  };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (method !== 'GET') {
    // The server expects a JSON object on every state-changing request, even an empty one.
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body ?? {});
  }

  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', '');
  }
  if (response.status === 204) return undefined as T;

  const data: unknown = await response.json().catch(() => null);
  if (response.ok) return data as T;

  const error = (data as Partial<ApiErrorBody> | null)?.error;
  const retryAfter = Number(response.headers.get('retry-after')) || undefined;
  throw new ApiError(
    response.status,
    error?.code ?? 'internal',
    error?.message ?? response.statusText,
    error?.field,
    retryAfter,
    error?.params,
  );
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: object = {}) => request<T>('POST', path, body),
  patch: <T>(path: string, body: object) => request<T>('PATCH', path, body),
  delete: <T>(path: string, body: object = {}) => request<T>('DELETE', path, body),
};
