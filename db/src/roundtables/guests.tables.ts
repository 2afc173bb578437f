import type { ColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type UserKind = 'person' | 'guest';

/** The roundtable's guest link: only the SHA-256 of its token. */
export interface RoundtableGuestLinksTable {
  roundtableId: string;
  tokenHash: string;
  createdBy: string;
  createdAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface RoundtableGuestsTable {
  roundtableId: string;
  userId: string;
  maySpeak: ColumnType<boolean, boolean | undefined, boolean>;
  joinedAt: CreatedAt;
}
