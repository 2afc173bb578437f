import type { PhotoType } from '@tongxin/shared/roundtable/photos';

const startsWith = (bytes: Uint8Array, prefix: number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** What the first bytes say the file is, whatever the request claimed; null = none of ours. */
export function sniffPhotoType(bytes: Uint8Array): PhotoType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return null;
}

export interface PhotoSize {
  width: number;
  height: number;
}

/** Width and height from the header, without decoding the image; null when not found. */
export function photoSize(bytes: Uint8Array, type: PhotoType): PhotoSize | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = (width: number, height: number) =>
    width >= 1 && height >= 1 && width <= 65535 && height <= 65535 ? { width, height } : null;
  try {
    if (type === 'image/png') {
      if (!startsWith(bytes, ascii('IHDR'), 12)) return null;
      return size(view.getUint32(16), view.getUint32(20));
    }
    if (type === 'image/webp') {
      if (startsWith(bytes, ascii('VP8X'), 12))
        return size(
          1 + (view.getUint32(24, true) & 0xffffff),
          1 + (view.getUint32(27, true) & 0xffffff),
        );
      if (startsWith(bytes, ascii('VP8L'), 12)) {
        const bits = view.getUint32(21, true);
        return size(1 + (bits & 0x3fff), 1 + ((bits >>> 14) & 0x3fff));
      }
      if (startsWith(bytes, ascii('VP8 '), 12))
        return size(view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
      return null;
    }
    // JPEG: walk the segments to the first start-of-frame (SOF0–SOF15 but DHT, JPG, DAC).
    let at = 2;
    while (at + 9 < bytes.length) {
      if (bytes[at] !== 0xff) return null;
      const marker = bytes[at + 1]!;
      if (marker === 0xff) {
        at += 1;
        continue;
      }
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
        return size(view.getUint16(at + 7), view.getUint16(at + 5));
      if (marker === 0xd9 || marker === 0xda) return null;
      at += 2 + view.getUint16(at + 2);
    }
    return null;
  } catch {
    return null;
  }
}
