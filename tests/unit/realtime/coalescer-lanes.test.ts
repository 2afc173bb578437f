import { describe, expect, it } from 'vitest';
import { isOnPriorityLane, onPriorityLane } from '@tongxin/db/lanes';
import { Coalescer } from '../../../server/src/realtime/coalescer.ts';

function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('Coalescer and the database lanes', () => {
  it("a chair's publish raises the rebuild it joins, and the one after it, onto the priority lane", async () => {
    const seen: Array<{ run: number; before: boolean; after: boolean }> = [];
    const gate = latch();
    const started = latch();
    let runs = 0;
    const coalescer = new Coalescer(
      async () => {
        const run = ++runs;
        const before = isOnPriorityLane();
        if (run === 1) {
          started.open();
          await gate.opened; // a ballot's rebuild, still reading when the chair's command joins
        }
        seen.push({ run, before, after: isOnPriorityLane() });
      },
      (error) => {
        throw error;
      },
    );
    const ballot = coalescer.schedule('room');
    await started.opened;
    const chair = onPriorityLane(() => coalescer.schedule('room'));
    gate.open();
    await Promise.all([ballot, chair]);
    expect(seen).toEqual([
      // Started by a ballot on the general lane; what it reads after the chair joined is raised.
      { run: 1, before: false, after: true },
      // The rebuild the chair waits for runs on the priority lane throughout.
      { run: 2, before: true, after: true },
    ]);
  });

  it('a rebuild nobody urgent waits for stays on the general lane', async () => {
    const lanes: boolean[] = [];
    const coalescer = new Coalescer(
      async () => {
        lanes.push(isOnPriorityLane());
      },
      () => {},
    );
    await coalescer.schedule('room');
    await onPriorityLane(() => coalescer.schedule('room'));
    await coalescer.schedule('room');
    expect(lanes).toEqual([false, true, false]);
  });
});
