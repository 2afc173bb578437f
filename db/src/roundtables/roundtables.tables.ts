import type { ColumnType, Generated } from 'kysely';
import type { Rating } from '@tongxin/shared/roundtables/action-items';
import type { OwnerKind, VoteKind } from '@tongxin/shared/roundtables/floor.schemas';
import type { ActionItemStatus, Part } from '@tongxin/shared/roundtables/stages';
import type { VoteChoice } from '@tongxin/shared/roundtables/votes';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type AttendanceHow = 'qr' | 'app' | 'hand';

export interface AttendanceTable {
  id: Generated<string>;
  roundtableId: string;
  userId: string | null;
  name: string;
  part: Exclude<Part, 'observer'>;
  how: AttendanceHow;
  markedBy: string | null;
  createdAt: CreatedAt;
}

export interface SpeakingTurnsTable {
  id: Generated<string>;
  roundtableId: string;
  userId: string;
  status: Defaulted<'waiting' | 'speaking' | 'done' | 'withdrawn'>;
  raisedAt: CreatedAt;
  startedAt: Date | null;
  endedAt: Date | null;
}

export interface ProposalsTable {
  id: Generated<string>;
  topicId: string;
  text: string;
  proposedBy: string;
  createdAt: CreatedAt;
}

export interface VotesTable {
  id: Generated<string>;
  roundtableId: string;
  topicId: string;
  question: string;
  kind: VoteKind;
  hiddenTally: boolean;
  status: Defaulted<'open' | 'closed'>;
  openedBy: string;
  openedAt: CreatedAt;
  closedAt: Date | null;
  counted: number | null;
}

export interface BallotsTable {
  voteId: string;
  userId: string;
  choice: VoteChoice | null;
  proposalId: string | null;
  createdAt: CreatedAt;
}

export interface HandCountsTable {
  voteId: string;
  option: string;
  count: number;
}

export interface ResolutionsTable {
  id: Generated<string>;
  topicId: string;
  text: string;
  voteId: string | null;
  recordedBy: string;
  createdAt: CreatedAt;
}

export interface ActionItemsTable {
  id: Generated<string>;
  roundtableId: string;
  resolutionId: string;
  title: string;
  ownerKind: OwnerKind;
  ownerUnitId: string | null;
  ownerTeamId: string | null;
  ownerUserId: string | null;
  /** A date column: always read it with to_char, as drivers differ in how they parse dates. */
  deadline: ColumnType<string, string, string>;
  status: Defaulted<ActionItemStatus>;
  blockedReason: string | null;
  round: Defaulted<number>;
  createdBy: string;
  createdAt: CreatedAt;
  updatedAt: Defaulted<Date>;
}

export interface ActionUpdatesTable {
  id: Generated<string>;
  itemId: string;
  authorId: string;
  note: string;
  status: ActionItemStatus | null;
  createdAt: CreatedAt;
}

export interface RatingsTable {
  itemId: string;
  round: number;
  userId: string;
  rating: Rating;
  comment: Defaulted<string>;
  createdAt: CreatedAt;
}

export interface MinutesVersionsTable {
  id: Generated<string>;
  roundtableId: string;
  version: number;
  kind: 'draft' | 'final';
  text: string;
  createdBy: string;
  createdAt: CreatedAt;
}
