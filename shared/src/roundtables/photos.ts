/** Photos on topics and on progress updates: what the server accepts and the web checks first. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** 5 MiB: a phone photo scaled to 1600 px is a few hundred KB; an unscaled one may not fit. */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

/** Photos one topic or one progress update may carry. */
export const PHOTOS_PER_POST = 4;

/** The web scales photos down to this longest side before uploading. */
export const PHOTO_MAX_SIDE = 1600;

export const isPhotoType = (type: string): type is PhotoType =>
  (PHOTO_TYPES as readonly string[]).includes(type);

export const photoPath = (id: string) => `/api/photos/${id}`;
