import { Type, type Static } from 'typebox';
import {
  PROBLEM_CATEGORIES,
  PROBLEM_RATINGS,
  PROBLEM_STATUSES,
  PROBLEM_VERBS,
} from './problems.ts';
import { HandoffLink } from '../roundtables/handoff.schemas.ts';
import { ACTION_ITEM_STATUSES, STAGES } from '../roundtables/stages.ts';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);
const PhotoIds = Type.Array(Id, { maxItems: 4, uniqueItems: true });

/** 随手拍: a report, with photos uploaded first through POST /api/photos. */
export const ProblemBody = Type.Object(
  {
    communityId: Id,
    category: Type.Enum([...PROBLEM_CATEGORIES]),
    description: Type.String({ minLength: 1, maxLength: 500 }),
    /** A compound or building of the community. */
    placeId: Type.Optional(Id),
    /** Where, in words: "3 号楼东侧车棚". */
    location: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    photoIds: Type.Optional(PhotoIds),
  },
  strict,
);
export type ProblemBody = Static<typeof ProblemBody>;

export const DeclineProblemBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 200 }) },
  strict,
);
export type DeclineProblemBody = Static<typeof DeclineProblemBody>;

/** A note for the timeline, and for resolve the photos that show the fix. */
export const ProblemStepBody = Type.Object(
  {
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    photoIds: Type.Optional(PhotoIds),
  },
  strict,
);
export type ProblemStepBody = Static<typeof ProblemStepBody>;

export const ConfirmProblemBody = Type.Object(
  {
    rating: Type.Enum([...PROBLEM_RATINGS]),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  strict,
);
export type ConfirmProblemBody = Static<typeof ConfirmProblemBody>;

export const ReopenProblemBody = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 500 }) },
  strict,
);
export type ReopenProblemBody = Static<typeof ReopenProblemBody>;

export const MergeProblemBody = Type.Object({ into: Id }, strict);
export type MergeProblemBody = Static<typeof MergeProblemBody>;

export const ProblemListQuery = Type.Object(
  {
    communityId: Id,
    status: Type.Optional(Type.Enum([...PROBLEM_STATUSES])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  },
  strict,
);
export type ProblemListQuery = Static<typeof ProblemListQuery>;

export const SimilarProblemsQuery = Type.Object(
  {
    communityId: Id,
    category: Type.Enum([...PROBLEM_CATEGORIES]),
    placeId: Type.Optional(Id),
  },
  strict,
);
export type SimilarProblemsQuery = Static<typeof SimilarProblemsQuery>;

const Place = Type.Object({ id: Type.String(), name: Type.String() });

/** What anyone signed in sees of a report: no reporter's name (公示). */
export const ProblemSummary = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  category: Type.Enum([...PROBLEM_CATEGORIES]),
  description: Type.String(),
  place: Nullable(Place),
  location: Nullable(Type.String()),
  status: Type.Enum([...PROBLEM_STATUSES]),
  overdue: Type.Boolean(),
  escalated: Type.Boolean(),
  followers: Type.Integer(),
  photoIds: Type.Array(Type.String()),
  respondBy: Type.String({ format: 'date-time' }),
  resolveBy: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  /** The roundtable topic it was raised to (提交圆桌会议), shown on the public list too. */
  raised: Nullable(
    Type.Object({ topicId: Type.String(), roundtableId: Type.String(), title: Type.String() }),
  ),
});
export type ProblemSummary = Static<typeof ProblemSummary>;

export const ProblemEvent = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  /** The actor's name: shown to the handler and followers; "网格员"/"居民" for others. */
  actor: Nullable(Type.String()),
  note: Nullable(Type.String()),
  photoIds: Type.Array(Type.String()),
  at: Type.String({ format: 'date-time' }),
});
export type ProblemEvent = Static<typeof ProblemEvent>;

export const ProblemView = Type.Object({
  ...ProblemSummary.properties,
  community: Place,
  grid: Nullable(Place),
  declineReason: Nullable(Type.String()),
  mergedInto: Nullable(Type.String()),
  rating: Nullable(Type.Enum([...PROBLEM_RATINGS])),
  /** Private details: only the handlers and the reporters see them. */
  reporter: Nullable(Type.String()),
  handler: Nullable(Type.String()),
  events: Type.Array(ProblemEvent),
  viewer: Type.Object({
    part: Type.Enum(['handler', 'follower', 'other']),
    may: Type.Array(Type.Enum([...PROBLEM_VERBS])),
  }),
  /** The points this report credited the viewer (its reporter, once confirmed); else null. */
  pointsCredited: Nullable(Type.Integer()),
  /**
   * Raised to a roundtable: what became of the topic there (public, like the 公示): its
   * resolution once recorded, and each action item with its state and the linked work (a
   * 双报到 project or a team activity) that carries it out. Null when not raised.
   */
  outcome: Nullable(
    Type.Object({
      topicTitle: Type.String(),
      /**
       * Where this viewer can follow it: the roundtable's room (they take part in it), its
       * 公示 (the meeting is closed, public), or nowhere (this page is what they see).
       */
      open: Nullable(Type.Enum(['room', 'result'])),
      resolution: Nullable(Type.String()),
      items: Type.Array(
        Type.Object({
          id: Type.String(),
          title: Type.String(),
          owner: Type.String(),
          status: Type.Enum([...ACTION_ITEM_STATUSES]),
          handoff: Nullable(HandoffLink),
        }),
      ),
    }),
  ),
});
export type ProblemView = Static<typeof ProblemView>;

export const ProblemList = Type.Object({ items: Type.Array(ProblemSummary) });
export type ProblemList = Static<typeof ProblemList>;

/** 提交圆桌会议: the roundtable of the report's community the report becomes a topic of. */
export const RaiseProblemBody = Type.Object({ roundtableId: Id }, strict);
export type RaiseProblemBody = Static<typeof RaiseProblemBody>;

/** A roundtable a report may be raised to now. */
export const RaiseTarget = Type.Object({
  id: Type.String(),
  title: Type.String(),
  localName: Type.String(),
  stage: Type.Enum([...STAGES]),
  place: Type.String(),
  startsAt: Type.String({ format: 'date-time' }),
});
export type RaiseTarget = Static<typeof RaiseTarget>;

export const RaiseTargets = Type.Object({ items: Type.Array(RaiseTarget) });
export type RaiseTargets = Static<typeof RaiseTargets>;
