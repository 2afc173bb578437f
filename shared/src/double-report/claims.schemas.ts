import { Type, type Static } from 'typebox';
import { CLAIM_BLOCKERS, CLAIM_STATUSES, ITEM_KINDS, ITEM_STATUSES, LISTS } from './claims.ts';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);
const Ref = Type.Object({ id: Type.String(), name: Type.String() });

// ── Reports (双报到) ──────────────────────────────────────────────────────────
/** 单位报到: a unit's representative reports the unit to a community. */
export const UnitReportBody = Type.Object(
  {
    unitId: Id,
    contact: Type.String({ minLength: 1, maxLength: 80, description: 'name and phone' }),
    commitment: Type.String({ minLength: 1, maxLength: 500, description: '公开承诺' }),
  },
  strict,
);
export type UnitReportBody = Static<typeof UnitReportBody>;

/** 个人报到: an in-service party member reports to the community where they live. */
export const MemberReportBody = Type.Object(
  {
    unitName: Type.String({ minLength: 1, maxLength: 80 }),
    skills: Type.Optional(Type.String({ maxLength: 200 })),
  },
  strict,
);
export type MemberReportBody = Static<typeof MemberReportBody>;

export const ReviewReportBody = Type.Object(
  {
    decision: Type.Enum(['confirm', 'reject']),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  strict,
);
export type ReviewReportBody = Static<typeof ReviewReportBody>;

export const UnitReportView = Type.Object({
  unit: Ref,
  contact: Type.String(),
  commitment: Type.String(),
  reportedAt: Type.String(),
  representatives: Type.Array(Ref),
});
export type UnitReportView = Static<typeof UnitReportView>;

export const MemberReportView = Type.Object({
  id: Type.String(),
  member: Ref,
  unitName: Type.String(),
  skills: Type.String(),
  status: Type.Enum(['pending', 'confirmed', 'rejected']),
  reason: Nullable(Type.String()),
  reportedAt: Type.String(),
});
export type MemberReportView = Static<typeof MemberReportView>;

export const ReportRoll = Type.Object({
  community: Ref,
  units: Type.Array(UnitReportView),
  members: Type.Array(MemberReportView),
});
export type ReportRoll = Static<typeof ReportRoll>;

// ── Lists (三个清单) ──────────────────────────────────────────────────────────
export const PostItemBody = Type.Object(
  {
    kind: Type.Enum([...ITEM_KINDS]),
    title: Type.String({ minLength: 1, maxLength: 80 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    /** How many claimants it takes (one by default). */
    quota: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    dueAt: Type.Optional(Type.String({ format: 'date-time' })),
    /** A resource's offering unit (resources only). */
    unitId: Type.Optional(Id),
    /** When a resource is available, in words: 每周六上午. */
    availability: Type.Optional(Type.String({ maxLength: 120 })),
  },
  strict,
);
export type PostItemBody = Static<typeof PostItemBody>;

export const ModerateItemBody = Type.Object(
  {
    decision: Type.Enum(['approve', 'reject']),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  strict,
);
export type ModerateItemBody = Static<typeof ModerateItemBody>;

export const ListQuery = Type.Object(
  {
    list: Type.Optional(Type.Enum([...LISTS])),
    status: Type.Optional(Type.Enum([...ITEM_STATUSES])),
    openOnly: Type.Optional(Type.Enum(['true', 'false'])),
  },
  strict,
);
export type ListQuery = Static<typeof ListQuery>;

export const ClaimView = Type.Object({
  id: Type.String(),
  itemId: Type.String(),
  itemTitle: Type.String(),
  itemKind: Type.Enum([...ITEM_KINDS]),
  claimant: Ref,
  unit: Nullable(Ref),
  status: Type.Enum([...CLAIM_STATUSES]),
  overdue: Type.Boolean(),
  deliveryNote: Nullable(Type.String()),
  /** The delivery's photos, in order (GET /api/photos/:id). */
  deliveryPhotoIds: Type.Array(Type.String()),
  rating: Nullable(Type.Integer()),
  ratingComment: Nullable(Type.String()),
  claimedAt: Type.String(),
  deliveredAt: Nullable(Type.String()),
  confirmedAt: Nullable(Type.String()),
  /** What the viewer may do with this claim now. */
  canStart: Type.Boolean(),
  canDeliver: Type.Boolean(),
  canWithdraw: Type.Boolean(),
  canConfirm: Type.Boolean(),
});
export type ClaimView = Static<typeof ClaimView>;

export const ItemView = Type.Object({
  id: Type.String(),
  community: Ref,
  kind: Type.Enum([...ITEM_KINDS]),
  title: Type.String(),
  description: Type.String(),
  status: Type.Enum([...ITEM_STATUSES]),
  reviewNote: Nullable(Type.String()),
  postedBy: Ref,
  unit: Nullable(Ref),
  availability: Nullable(Type.String()),
  quota: Type.Integer(),
  activeClaims: Type.Integer(),
  dueAt: Nullable(Type.String()),
  createdAt: Type.String(),
  claims: Type.Array(ClaimView),
  /** Why the viewer cannot claim, or null when they can. */
  claimBlocker: Nullable(Type.Enum([...CLAIM_BLOCKERS])),
  /** Units the viewer may claim for (projects). */
  myUnits: Type.Array(Ref),
});
export type ItemView = Static<typeof ItemView>;

export const ItemSummary = Type.Omit(ItemView, ['claims', 'claimBlocker', 'myUnits']);
export type ItemSummary = Static<typeof ItemSummary>;

export const ClaimBody = Type.Object({ unitId: Type.Optional(Id) }, strict);
export type ClaimBody = Static<typeof ClaimBody>;

export const DeliverBody = Type.Object(
  {
    note: Type.String({ minLength: 1, maxLength: 1000 }),
    /** Photos of what was done, uploaded first through POST /api/photos (at most four). */
    photoIds: Type.Optional(Type.Array(Id, { maxItems: 4, uniqueItems: true })),
  },
  strict,
);
export type DeliverBody = Static<typeof DeliverBody>;

export const ConfirmBody = Type.Object(
  {
    rating: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Type.String({ maxLength: 500 })),
  },
  strict,
);
export type ConfirmBody = Static<typeof ConfirmBody>;

// ── 公示 board and evaluation records ─────────────────────────────────────────
export const BoardRow = Type.Object({
  claimId: Type.String(),
  itemId: Type.String(),
  itemTitle: Type.String(),
  itemKind: Type.Enum([...ITEM_KINDS]),
  claimant: Type.String(),
  status: Type.Enum([...CLAIM_STATUSES]),
  overdue: Type.Boolean(),
  rating: Nullable(Type.Integer()),
  updatedAt: Type.String(),
});
export type BoardRow = Static<typeof BoardRow>;

export const Board = Type.Object({
  community: Ref,
  units: Type.Integer(),
  members: Type.Integer(),
  openItems: Type.Integer(),
  claims: Type.Array(BoardRow),
  /** Ids of wishes and member reports awaiting review: pages refetch when this changes. */
  awaitingReview: Type.Array(Type.String()),
  fulfilmentRate: Nullable(Type.Number()),
  updatedAt: Type.String(),
});
export type Board = Static<typeof Board>;

export const RecordRow = Type.Object({
  kind: Type.Enum(['unit', 'member']),
  name: Type.String(),
  reportedSince: Type.String(),
  claims: Type.Integer(),
  fulfilled: Type.Integer(),
  averageRating: Nullable(Type.Number()),
});
export type RecordRow = Static<typeof RecordRow>;

export const ReviewQueue = Type.Object({
  wishes: Type.Array(ItemSummary),
  deliveries: Type.Array(ClaimView),
  memberReports: Type.Array(MemberReportView),
});
export type ReviewQueue = Static<typeof ReviewQueue>;
