import type { LiveLimits } from './limits.ts';

/**
 * A token bucket: `rate` tokens a second refill it up to `burst`. `take` refuses what it
 * cannot pay; `spend` may leave a debt (the cost of handling a frame is known only after).
 */
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#last = now;
  }

  #refill(now: number): void {
    // No time passed, no refill: 0 × an unlimited (Infinity) rate would be NaN and refuse all.
    const elapsed = now - this.#last;
    if (elapsed > 0)
      this.#tokens = Math.min(this.burst, this.#tokens + (elapsed / 1000) * this.rate);
    this.#last = now;
  }

  take(amount: number, now: number): boolean {
    this.#refill(now);
    if (this.#tokens < amount) return false;
    this.#tokens -= amount;
    return true;
  }

  spend(amount: number, now: number): void {
    this.#refill(now);
    this.#tokens -= amount;
  }

  /** Not in debt (a frame may start). */
  inCredit(now: number): boolean {
    this.#refill(now);
    return this.#tokens > 0;
  }

  isFull(now: number): boolean {
    this.#refill(now);
    return this.#tokens >= this.burst;
  }
}

interface UserBudget {
  bytes: TokenBucket;
  time: TokenBucket;
}

/**
 * Bytes received and server time spent per user, across all their sockets: twenty sockets
 * (the per-user cap) must not get twenty budgets. Kept by user id rather than on the
 * sockets, so closing and reopening them does not refill it either.
 */
export class UserBudgets {
  readonly #byUser = new Map<string, UserBudget>();
  #sweepAt = 1024;
  /**
   * Several instances: what each user spent here since the last exchange
   * (`shared-limits.ts`), so the other instances charge it too. Null alone.
   */
  #spending: Map<string, { bytes: number; ms: number }> | null = null;

  constructor(private readonly limits: LiveLimits) {}

  #of(userId: string, now: number): UserBudget {
    let budget = this.#byUser.get(userId);
    if (!budget) {
      if (this.#byUser.size >= this.#sweepAt) this.#sweep(now);
      budget = {
        bytes: new TokenBucket(this.limits.userBytesPerSecond, this.limits.userByteBurst, now),
        time: new TokenBucket(this.limits.userCpuMsPerSecond, this.limits.userCpuBurstMs, now),
      };
      this.#byUser.set(userId, budget);
    }
    return budget;
  }

  /** A full budget is the same as none: forgetting it frees memory and changes nothing. */
  #sweep(now: number): void {
    for (const [userId, budget] of this.#byUser)
      if (budget.bytes.isFull(now) && budget.time.isFull(now)) this.#byUser.delete(userId);
    this.#sweepAt = Math.max(1024, this.#byUser.size * 2);
  }

  /** Why a frame of `bytes` from this user is refused, or null. */
  admit(userId: string, bytes: number, now: number): string | null {
    const budget = this.#of(userId, now);
    if (!budget.time.inCredit(now)) return 'user over time budget';
    if (!budget.bytes.take(bytes, now)) return 'user over byte budget';
    if (this.#spending) this.#spendingOf(userId).bytes += bytes;
    return null;
  }

  spent(userId: string, ms: number, now: number): void {
    this.#of(userId, now).time.spend(ms, now);
    if (this.#spending) this.#spendingOf(userId).ms += ms;
  }

  #spendingOf(userId: string): { bytes: number; ms: number } {
    let entry = this.#spending!.get(userId);
    if (!entry) this.#spending!.set(userId, (entry = { bytes: 0, ms: 0 }));
    return entry;
  }

  /** Several instances: from now on, remember what each user spends for `takeSpending`. */
  recordSpending(): void {
    this.#spending ??= new Map();
  }

  /** What users spent since the last call. */
  takeSpending(): Map<string, { bytes: number; ms: number }> {
    const spent = this.#spending ?? new Map<string, { bytes: number; ms: number }>();
    if (this.#spending) this.#spending = new Map();
    return spent;
  }

  /** What a user spent on the other instances, taken from their budget here (may leave a debt). */
  charge(userId: string, bytes: number, ms: number, now = performance.now()): void {
    const budget = this.#of(userId, now);
    if (bytes > 0) budget.bytes.spend(bytes, now);
    if (ms > 0) budget.time.spend(ms, now);
  }
}
