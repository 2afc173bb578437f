import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Connection } from '../../../server/src/realtime/connection.ts';
import { PacedSender } from '../../../server/src/realtime/paced-sender.ts';

/** Stand-ins for sockets: each records the frames it was sent. */
function sockets(n: number) {
  const got: Uint8Array[][] = Array.from({ length: n }, () => []);
  const conns = got.map((frames) => ({ send: (f: Uint8Array) => frames.push(f) }));
  return { got, conns: conns as unknown as Connection[] };
}
const reached = (got: Uint8Array[][], frame: Uint8Array) =>
  got.filter((frames) => frames.includes(frame)).length;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('paced keep-alives', () => {
  it('reaches a thousand sockets a twentieth at a time over the spread, never all at once', () => {
    const sender = new PacedSender(1000);
    const { got, conns } = sockets(1000);
    const frame = new Uint8Array([1]);
    sender.send(frame, conns);
    expect(reached(got, frame)).toBe(0);
    vi.advanceTimersByTime(50);
    expect(reached(got, frame)).toBe(50);
    vi.advanceTimersByTime(450);
    expect(reached(got, frame)).toBe(500);
    vi.advanceTimersByTime(500);
    expect(reached(got, frame)).toBe(1000);
    expect(got.every((frames) => frames.length === 1)).toBe(true);
    expect(vi.getTimerCount()).toBe(0); // nothing left to send: the timer stops
  });

  it('moves every frame under way on together, and sends each to every socket once', () => {
    const sender = new PacedSender(1000);
    const { got, conns } = sockets(40);
    const first = new Uint8Array([1]);
    const second = new Uint8Array([2]);
    sender.send(first, conns);
    vi.advanceTimersByTime(500);
    sender.send(second, conns);
    vi.advanceTimersByTime(500);
    expect(reached(got, first)).toBe(40);
    expect(reached(got, second)).toBe(20);
    vi.advanceTimersByTime(500);
    expect(reached(got, second)).toBe(40);
    // Each socket got the older frame first.
    expect(got.every((frames) => frames[0] === first && frames[1] === second)).toBe(true);
  });

  it('sends nothing more once stopped (the document unloaded)', () => {
    const sender = new PacedSender(1000);
    const { got, conns } = sockets(100);
    const frame = new Uint8Array([1]);
    sender.send(frame, conns);
    vi.advanceTimersByTime(100);
    sender.stop();
    vi.advanceTimersByTime(2000);
    expect(reached(got, frame)).toBe(10);
  });
});
