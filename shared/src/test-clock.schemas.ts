import { Type, type Static } from 'typebox';

/**
 * POST /api/test-clock: moves the server's clock on (test servers only, TONGXIN_TEST_CLOCK=1;
 * a production server refuses to start with it) and runs the deadline sweeps at once.
 */
export const TestClockBody = Type.Object(
  { advanceHours: Type.Number({ minimum: 0, maximum: 24 * 366 }) },
  { additionalProperties: false },
);
export type TestClockBody = Static<typeof TestClockBody>;

export const TestClockResult = Type.Object({
  now: Type.String({ format: 'date-time' }),
  escalated: Type.Integer(),
  reminded: Type.Integer(),
});
export type TestClockResult = Static<typeof TestClockResult>;
