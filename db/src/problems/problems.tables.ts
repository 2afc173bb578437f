import type { ColumnType, Generated } from 'kysely';
import type {
  ProblemCategory,
  ProblemRating,
  ProblemStatus,
} from '@tongxin/shared/problems/problems';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/** 随手拍: one problem report. */
export interface ProblemReportsTable {
  id: Generated<string>;
  communityId: string;
  reporterId: string;
  category: ProblemCategory;
  description: string;
  placeId: string | null;
  location: string | null;
  gridId: string | null;
  status: ColumnType<ProblemStatus, ProblemStatus | undefined, ProblemStatus>;
  handlerId: string | null;
  declineReason: string | null;
  mergedInto: string | null;
  respondBy: Date;
  resolveBy: Date | null;
  escalatedAt: Date | null;
  rating: ProblemRating | null;
  /** The roundtable topic it was raised to (提交圆桌会议), once. */
  topicId: ColumnType<string | null, string | null | undefined, string | null>;
  /** The unit or service team the report was routed to when made; both null: its grid. */
  ownerUnitId: ColumnType<string | null, string | null | undefined, string | null>;
  ownerTeamId: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | undefined, Date>;
}

/** Who receives a category's reports in a community, and its own time limits if any. */
export interface ProblemRoutesTable {
  communityId: string;
  category: ProblemCategory;
  ownerKind: 'grid' | 'unit' | 'team';
  unitId: string | null;
  teamId: string | null;
  respondHours: number | null;
  resolveDays: number | null;
  setBy: string;
  updatedAt: ColumnType<Date, Date | undefined, Date>;
}

export interface ProblemFollowersTable {
  problemId: string;
  userId: string;
  createdAt: CreatedAt;
}

export type ProblemEventKind =
  | 'submitted'
  | 'accepted'
  | 'declined'
  | 'started'
  | 'resolved'
  | 'confirmed'
  | 'reopened'
  | 'merged'
  | 'escalated'
  | 'raised';

export interface ProblemEventsTable {
  id: Generated<string>;
  problemId: string;
  actorId: string | null;
  kind: ProblemEventKind;
  note: string | null;
  createdAt: CreatedAt;
  /** Written order: breaks a tie in `createdAt` (the embedded database's clock is in ms). */
  seq: Generated<string>;
}
