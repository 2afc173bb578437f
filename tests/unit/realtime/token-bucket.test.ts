import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../server/src/realtime/budget.ts';

describe('TokenBucket', () => {
  it('lets a burst through, refuses the next, and refills with time', () => {
    const bucket = new TokenBucket(10, 20, 0);
    expect(bucket.take(20, 0)).toBe(true);
    expect(bucket.take(1, 0)).toBe(false);
    expect(bucket.take(5, 500)).toBe(true);
    expect(bucket.take(1, 500)).toBe(false);
  });

  it('with an unlimited rate and burst never refuses, even twice in the same millisecond', () => {
    const bucket = new TokenBucket(Infinity, Infinity, 1_000);
    for (let i = 0; i < 3; i++) {
      expect(bucket.take(1_000_000, 1_000)).toBe(true);
      bucket.spend(5, 1_000);
      expect(bucket.inCredit(1_000)).toBe(true);
    }
    expect(bucket.take(1, 1_001)).toBe(true);
    expect(bucket.inCredit(1_001)).toBe(true);
  });
});
