import { Type, type Static } from 'typebox';
import { HANDOFF_KINDS, HANDOFF_STATES } from './handoff.ts';
import { ACTION_ITEM_STATUSES } from './stages.ts';

const strict = { additionalProperties: false } as const;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);

/** 发布为双报到项目: prefilled from the item (title, the resolution, its deadline). */
export const HandOnProjectBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 80 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    dueAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  strict,
);
export type HandOnProjectBody = Static<typeof HandOnProjectBody>;

/** 发布为志愿活动 for the item's team: when, where, how many. */
export const HandOnActivityBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 80 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    place: Type.String({ minLength: 1, maxLength: 80 }),
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.String({ format: 'date-time' }),
    capacity: Type.Integer({ minimum: 1, maximum: 1000 }),
  },
  strict,
);
export type HandOnActivityBody = Static<typeof HandOnActivityBody>;

/** The team reports the activity done: what was done, for the item's progress. */
export const CompleteActivityBody = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 1000 }) },
  strict,
);
export type CompleteActivityBody = Static<typeof CompleteActivityBody>;

/** The linked work, on the item (room document and console). */
export const HandoffLink = Type.Object({
  kind: Type.Enum([...HANDOFF_KINDS]),
  /** The claim item's id (a project) or the activity's id. */
  id: Type.String(),
  title: Type.String(),
  state: Type.Enum([...HANDOFF_STATES]),
  /** Who claimed the project (its unit), once claimed. */
  claimant: Nullable(Type.String()),
});
export type HandoffLink = Static<typeof HandoffLink>;

/** 来自圆桌会议决议: on the project's or activity's page, the way back to the item. */
export const HandoffOrigin = Type.Object({
  origin: Nullable(
    Type.Object({
      roundtableId: Type.String(),
      roundtableTitle: Type.String(),
      resolution: Type.String(),
      itemId: Type.String(),
      itemTitle: Type.String(),
      itemStatus: Type.Enum([...ACTION_ITEM_STATUSES]),
      round: Type.Integer(),
    }),
  ),
  /** An activity handed on: when its team reported it done (null until then). */
  completedAt: Nullable(Type.String()),
  completionNote: Nullable(Type.String()),
  /** The viewer may report the activity done now (its team's leaders, the secretary). */
  canComplete: Type.Boolean(),
});
export type HandoffOrigin = Static<typeof HandoffOrigin>;
