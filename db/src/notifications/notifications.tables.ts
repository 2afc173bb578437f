import type { ColumnType, Generated, Selectable } from 'kysely';

export interface NotificationsTable {
  id: Generated<string>;
  userId: string;
  kind: string;
  /** Stored as jsonb; written as a JSON string. */
  params: ColumnType<Record<string, string>, string | undefined, never>;
  link: string | null;
  readAt: Date | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}
export type NotificationRow = Selectable<NotificationsTable>;
