// Commands a hall of phones sends while instances die under it: each is retried, as a phone
// would, until the server answers it; what was answered 2xx must then be counted once.

export interface Answered {
  /** Every answer, in order: an HTTP status, or 0 when the connection failed. */
  statuses: number[];
  /** The final answer's body. */
  body: string;
}

/**
 * POSTs `body` to `path` on `origin` until a final answer: a connection that fails (0) or a
 * 502/503 (an instance draining or gone, behind a balancer) is tried again after `retryMs`.
 */
export async function postUntilAnswered(
  origin: string,
  path: string,
  cookie: string,
  body: object,
  { retryMs = 50, attempts = 100 }: { retryMs?: number; attempts?: number } = {},
): Promise<Answered> {
  const statuses: number[] = [];
  for (let i = 0; i < attempts; i++) {
    let status: number;
    let text = '';
    try {
      const res = await fetch(`${origin}/api${path}`, {
        method: 'POST',
        headers: { cookie, origin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      status = res.status;
      text = await res.text();
    } catch {
      status = 0;
    }
    statuses.push(status);
    if (status !== 0 && status !== 502 && status !== 503) return { statuses, body: text };
    await new Promise((r) => setTimeout(r, retryMs));
  }
  return { statuses, body: '' };
}

/**
 * Whether the command took effect, judged from its answers alone: the last answer 2xx, or
 * `already` (the refusal a repeat gets) after an attempt whose answer was lost.
 */
export function tookEffect(answered: Answered, already?: string): boolean {
  const last = answered.statuses.at(-1) ?? 0;
  if (last >= 200 && last < 300) return true;
  return (
    already !== undefined &&
    answered.statuses.length > 1 &&
    last === 409 &&
    answered.body.includes(already)
  );
}
