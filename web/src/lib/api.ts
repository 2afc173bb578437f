import createClient, {
  type ClientPathsWithMethod,
  type FetchResponse,
  type MaybeOptionalInit,
} from 'openapi-fetch';
import type { ApiErrorBody, ErrorCode } from '@tongxin/shared/errors';
import { getLocale } from '$lib/paraglide/runtime';
import type { paths } from '$lib/api/schema';

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

async function toApiError(response: Response): Promise<ApiError> {
  const data: unknown = await response.json().catch(() => null);
  const error = (data as Partial<ApiErrorBody> | null)?.error;
  const retryAfter = Number(response.headers.get('retry-after')) || undefined;
  return new ApiError(
    response.status,
    error?.code ?? 'internal',
    error?.message ?? response.statusText,
    error?.field,
    retryAfter,
    error?.params,
  );
}

/**
 * The client typed from the server's OpenAPI document (web/src/lib/api/schema.d.ts, made by
 * `npm run api:types`). Its fetch throws ApiError on anything but a 2xx, so a call's promise
 * holds the answer itself or rejects, as the pages expect.
 */
const client = createClient<paths>({
  credentials: 'same-origin',
  headers: { accept: 'application/json' },
  fetch: async (request) => {
    let response: Response;
    try {
      response = await globalThis.fetch(request);
    } catch {
      throw new ApiError(0, 'network', '');
    }
    if (!response.ok) throw await toApiError(response);
    return response;
  },
});

type Verb = 'get' | 'post' | 'patch' | 'delete';
type PathOf<V extends Verb> = ClientPathsWithMethod<typeof client, V>;
/** A body that may be `{}` (the routes that take none declare an empty object) may be left out. */
type BodyOptional<T> = T extends { body: infer B }
  ? object extends B
    ? Omit<T, 'body'> & { body?: B }
    : T
  : T;
type Init<P extends PathOf<V>, V extends Verb> = BodyOptional<
  NonNullable<MaybeOptionalInit<paths[P], V>>
>;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** The second argument is optional when the route needs neither parameters nor a body. */
type InitArgs<I> = [RequiredKeys<I>] extends [never] ? [init?: I] : [init: I];
/** What a 2xx answer holds (undefined for a 204). */
type Answer<P extends PathOf<V>, V extends Verb, I> = Extract<
  FetchResponse<Extract<paths[P][V], Record<string | number, unknown>>, I, 'application/json'>,
  { data: unknown }
>['data'];

/** The JSON body a route takes, for a page that builds it up before sending. */
export type RequestBody<P extends keyof paths, V extends Verb> =
  NonNullable<paths[P][V]> extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B
    : never;

/** The signature of `verb` below types each call; inside, the client is called loosely. */
const untyped = client.request as unknown as (
  method: Verb,
  path: string,
  init: object,
) => Promise<{ data?: unknown }>;

function verb<V extends Verb>(method: V) {
  return async <P extends PathOf<V>, I extends Init<P, V>>(
    path: P,
    ...[init]: InitArgs<I>
  ): Promise<Answer<P, V, I>> => {
    const options = (init ?? {}) as { body?: unknown; headers?: Record<string, string> };
    const { data } = await untyped(method, path, {
      ...options,
      // So that the server's error messages come back in the language on screen.
      headers: { ...options.headers, 'accept-language': getLocale() },
      // The server expects a JSON object on every state-changing request, even an empty one.
      ...(method === 'get' ? {} : { body: options.body ?? {} }),
    });
    return data as Answer<P, V, I>;
  };
}

export const api = {
  GET: verb('get'),
  POST: verb('post'),
  PATCH: verb('patch'),
  DELETE: verb('delete'),
};
