import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ClaimStatus, ItemKind, ItemStatus } from '@tongxin/shared/double-report/claims';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface UnitReportsTable {
  communityId: string;
  unitId: string;
  contact: string;
  commitment: string;
  reportedBy: string;
  reportedAt: Defaulted<Date>;
}

export type MemberReportStatus = 'pending' | 'confirmed' | 'rejected';
export interface MemberReportsTable {
  id: Generated<string>;
  userId: string;
  communityId: string;
  unitName: string;
  skills: Defaulted<string>;
  status: Defaulted<MemberReportStatus>;
  reason: string | null;
  reviewedBy: string | null;
  reportedAt: CreatedAt;
  reviewedAt: Date | null;
}

export interface ClaimItemsTable {
  id: Generated<string>;
  communityId: string;
  kind: ItemKind;
  title: string;
  description: Defaulted<string>;
  status: ItemStatus;
  reviewNote: string | null;
  postedBy: string;
  unitId: string | null;
  availability: string | null;
  quota: Defaulted<number>;
  activeClaims: Defaulted<number>;
  dueAt: Date | null;
  actionItemId: string | null;
  createdAt: CreatedAt;
}

export interface ClaimsTable {
  id: Generated<string>;
  itemId: string;
  userId: string;
  unitId: string | null;
  status: Defaulted<ClaimStatus>;
  deliveryNote: string | null;
  rating: number | null;
  ratingComment: string | null;
  confirmedBy: string | null;
  claimedAt: CreatedAt;
  startedAt: Date | null;
  deliveredAt: Date | null;
  confirmedAt: Date | null;
  withdrawnAt: Date | null;
  updatedAt: Defaulted<Date>;
}

export type ClaimItem = Selectable<ClaimItemsTable>;
export type Claim = Selectable<ClaimsTable>;
export type MemberReport = Selectable<MemberReportsTable>;
