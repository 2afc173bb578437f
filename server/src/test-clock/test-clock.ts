import { TestClockBody, TestClockResult } from '@tongxin/shared/test-clock.schemas';
import type { App } from '../http/types.ts';
import { escalateOverdue } from '../problems/escalation.ts';
import { sweepReminders } from '../reminders/sweep.ts';

/** A clock a test moves on; a real clock everywhere else. */
export class TestClock {
  private offsetMs = 0;
  now = () => new Date(Date.now() + this.offsetMs);
  advance(hours: number) {
    this.offsetMs += hours * 3600_000;
  }
}

/**
 * Test servers only (TONGXIN_TEST_CLOCK=1, never with NODE_ENV=production): browser tests
 * move time on ("the report is now overdue") and the sweeps that would run on their interval
 * run now. Not a command: it changes no record itself; the sweeps write what they always write.
 */
export async function testClockRoutes(app: App, options: { clock: TestClock }) {
  app.post(
    '/test-clock',
    {
      schema: {
        tags: ['test'],
        hide: true,
        body: TestClockBody,
        response: { 200: TestClockResult },
      },
    },
    async (request) => {
      options.clock.advance(request.body.advanceHours);
      const escalated = await escalateOverdue(app);
      const reminded = await sweepReminders(app);
      return { now: app.now().toISOString(), escalated, reminded };
    },
  );
}
