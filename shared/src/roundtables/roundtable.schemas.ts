import { Type, type Static } from 'typebox';
import { PHOTOS_PER_POST } from './photos.ts';
import { STAGES } from './stages.ts';
import { TOPIC_CATEGORIES, TOPIC_STATUSES } from './topics.ts';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ format: 'uuid' });
/** Photos uploaded first (POST /api/photos), by the caller, not yet attached to anything. */
export const PhotoIds = Type.Array(Id, { maxItems: PHOTOS_PER_POST, uniqueItems: true });

export const ConveneBody = Type.Object(
  {
    placeId: Id,
    title: Type.String({ minLength: 1, maxLength: 80 }),
    localName: Type.String({ minLength: 1, maxLength: 30, description: 'e.g. 幸福家园圆桌会' }),
    location: Type.String({ minLength: 1, maxLength: 80 }),
    startsAt: Type.String({ format: 'date-time' }),
    quorum: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    invitedUnitIds: Type.Optional(Type.Array(Id, { maxItems: 20, uniqueItems: true })),
  },
  strict,
);
export type ConveneBody = Static<typeof ConveneBody>;

export const RaiseTopicBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 80 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    category: Type.Enum([...TOPIC_CATEGORIES]),
    location: Type.Optional(Type.String({ maxLength: 80 })),
    photoIds: Type.Optional(PhotoIds),
  },
  strict,
);
export type RaiseTopicBody = Static<typeof RaiseTopicBody>;

/**
 * 党支部先议: accept onto the agenda, merge into another topic (`mergeIntoId`), or decline
 * with a `reason` the raiser is shown. Flat rather than a union, so a missing field gets a
 * message that names it.
 */
export const ScreenTopicBody = Type.Object(
  {
    decision: Type.Enum(['accept', 'merge', 'decline']),
    mergeIntoId: Type.Optional(Id),
    reason: Type.Optional(Type.String({ minLength: 2, maxLength: 300 })),
  },
  strict,
);
export type ScreenTopicBody = Static<typeof ScreenTopicBody>;

export const ReorderAgendaBody = Type.Object(
  { topicIds: Type.Array(Id, { minItems: 1, maxItems: 50, uniqueItems: true }) },
  strict,
);
export type ReorderAgendaBody = Static<typeof ReorderAgendaBody>;

/** The stage the caller saw: a second click from a stale screen cannot skip a stage. */
export const AdvanceStageBody = Type.Object({ from: Type.Enum([...STAGES]) }, strict);
export type AdvanceStageBody = Static<typeof AdvanceStageBody>;

export const TopicView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  category: Type.Enum([...TOPIC_CATEGORIES]),
  location: Type.Union([Type.String(), Type.Null()]),
  status: Type.Enum([...TOPIC_STATUSES]),
  raisedBy: Type.Object({ id: Type.String(), name: Type.String() }),
  cosignCount: Type.Integer(),
  cosignedByMe: Type.Boolean(),
  agendaPosition: Type.Union([Type.Integer(), Type.Null()]),
  mergedInto: Type.Union([Type.String(), Type.Null()]),
  declineReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  photoIds: Type.Array(Type.String()),
  /** The 随手拍 report this topic was raised from, if any ("来自随手拍"). */
  fromProblemId: Type.Union([Type.String(), Type.Null()]),
});
export type TopicView = Static<typeof TopicView>;

export const RoundtableView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  localName: Type.String(),
  location: Type.String(),
  startsAt: Type.String(),
  stage: Type.Enum([...STAGES]),
  quorum: Type.Union([Type.Integer(), Type.Null()]),
  place: Type.Object({ id: Type.String(), name: Type.String() }),
  chair: Type.Object({ id: Type.String(), name: Type.String() }),
  /** Units asked to the meeting when it was convened; their representatives take part. */
  invitedUnits: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  myPart: Type.Enum(['chair', 'scribe', 'participant', 'guest', 'observer']),
  topics: Type.Array(TopicView),
});
export type RoundtableView = Static<typeof RoundtableView>;

export const RoundtableSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  localName: Type.String(),
  startsAt: Type.String(),
  stage: Type.Enum([...STAGES]),
  place: Type.Object({ id: Type.String(), name: Type.String() }),
});
export type RoundtableSummary = Static<typeof RoundtableSummary>;
