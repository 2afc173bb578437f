import type { ApiErrorBody } from '@tongxin/shared/errors';
import { PHOTO_MAX_SIDE } from '@tongxin/shared/roundtables/photos';
import { ApiError } from '$lib/api';
import { getLocale } from '$lib/paraglide/runtime';

/** Larger files are not even opened: decoding one would stall an older phone. */
export const PHOTO_MAX_PICKED_BYTES = 40 * 1024 * 1024;

/**
 * Redraws a photo as a JPEG of at most PHOTO_MAX_SIDE px on its longer side. Redrawing
 * also drops what the camera wrote into the file (the place it was taken, the phone), and
 * turns it upright. Null when the browser cannot decode it.
 */
export async function shrinkPhoto(file: Blob): Promise<Blob | null> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return null;
  }
  const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext('2d');
  if (!context) {
    bitmap.close();
    return null;
  }
  // JPEG has no transparency: a transparent screenshot gets white, not black.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
}

/**
 * Uploads one photo as the raw image, reporting progress (0–1); resolves to its id. XHR
 * rather than fetch, because only XHR reports upload progress.
 */
export function uploadPhoto(photo: Blob, onprogress: (done: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/photos');
    xhr.setRequestHeader('content-type', photo.type);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', getLocale());
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onprogress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', ''));
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        // an answer that is not JSON: a proxy's error page, say
      }
      if (xhr.status === 201) return resolve((data as { id: string }).id);
      const error = (data as Partial<ApiErrorBody> | null)?.error;
      reject(new ApiError(xhr.status, error?.code ?? 'internal', error?.message ?? xhr.statusText));
    };
    xhr.send(photo);
  });
}
