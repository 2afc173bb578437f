import type { ColumnType, Generated } from 'kysely';
import type { PhotoType } from '@tongxin/shared/roundtables/photos';

/** A photo, unattached until the topic or progress update that carries it is posted. */
export interface PhotosTable {
  id: Generated<string>;
  uploadedBy: string;
  contentType: PhotoType;
  bytes: ColumnType<Uint8Array, Uint8Array, never>;
  width: number | null;
  height: number | null;
  topicId: ColumnType<string | null, never, string | null>;
  actionUpdateId: ColumnType<string | null, never, string | null>;
  problemId: ColumnType<string | null, never, string | null>;
  problemEventId: ColumnType<string | null, never, string | null>;
  claimId: ColumnType<string | null, never, string | null>;
  /** 0–3, the photo's place among those of its topic or update; null while unattached. */
  position: ColumnType<number | null, never, number | null>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  attachedAt: ColumnType<Date | null, never, Date | null>;
}
