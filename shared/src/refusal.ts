/**
 * A refusal is a command saying no for a reason a person can act on: a code the web can
 * branch on ("vote already open" is not "stage is over"), typed parameters, and words kept
 * once in `shared/messages/<feature>/<locale>.json` under `rf_<code>` — read by Paraglide on
 * the web and by the server's catalogue for other API clients.
 *
 * Each feature lists its refusals in its own `refusals.ts` with `defineRefusals`; this file
 * holds the helpers, `shared/src/refusals.ts` the union of all features.
 */

/** The HTTP status a refusal answers with: who (403), what (404), when or clash (409)… */
export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429;

/** A refusal without parameters is just its status. */
export type RefusalSpec = RefusalStatus | { status: RefusalStatus; params: object };

/** A refusal with parameters `P` (named in its words as `{name}`). */
export function withParams<P extends Record<string, string | number>>(
  status: RefusalStatus,
): { status: RefusalStatus; params: P } {
  // The parameters exist only as a type: the value carries the status.
  return { status } as { status: RefusalStatus; params: P };
}

/** A feature's refusals: code → status, or status and parameters. */
export function defineRefusals<T extends Record<string, RefusalSpec>>(refusals: T): T {
  return refusals;
}

/** The parameters of one refusal spec (an empty object when it has none). */
export type ParamsOf<S> = S extends { params: infer P } ? P : Record<string, never>;

/** The status of one refusal spec. */
export function statusOf(spec: RefusalSpec): RefusalStatus {
  return typeof spec === 'number' ? spec : spec.status;
}
