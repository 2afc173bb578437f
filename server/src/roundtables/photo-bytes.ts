import type { PhotoType } from '@tongxin/shared/roundtables/photos';

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

/**
 * The photo without the metadata that can say where and when it was taken: EXIF (GPS
 * position, time, camera serial), XMP, IPTC and comments. Browsers strip these before the
 * upload; API clients may not, so the server does it too. Segments and chunks are dropped
 * whole, the image data is copied as it is (no re-encoding). A JPEG loses its EXIF
 * orientation with the rest. Whatever cannot be walked (a truncated file) is kept as sent
 * from that point on.
 */
export function stripMetadata(bytes: Uint8Array, type: PhotoType): Uint8Array {
  if (type === 'image/jpeg') return stripJpeg(bytes);
  if (type === 'image/png') return stripPng(bytes);
  return stripWebp(bytes);
}

const concat = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const text = (bytes: Uint8Array, at: number, length: number) =>
  Buffer.from(bytes.subarray(at, at + length)).toString('latin1');

function stripJpeg(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Uint8Array[] = [bytes.subarray(0, 2)];
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      // A fill byte before the marker.
      at += 1;
      continue;
    }
    if (marker === 0xda) {
      // The image data, up to the end-of-image marker. What follows it (a phone's second
      // "multi-picture" image, with EXIF of its own) is dropped.
      let end = at + 2;
      while (end + 1 < bytes.length && !(bytes[end] === 0xff && bytes[end + 1] === 0xd9)) end++;
      kept.push(bytes.subarray(at, Math.min(bytes.length, end + 2)));
      return concat(kept);
    }
    const length = view.getUint16(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) break;
    const segment = bytes.subarray(at, at + 2 + length);
    // APP1: EXIF and XMP; APP13: IPTC (Photoshop); COM: free text; APP2 "MPF": the index
    // of the images dropped above. APP0 (JFIF), APP2 ICC colour profiles and APP14 stay.
    const metadata =
      marker === 0xe1 ||
      marker === 0xed ||
      marker === 0xfe ||
      (marker === 0xe2 && text(bytes, at + 4, 4) === 'MPF\0');
    if (!metadata) kept.push(segment);
    at += 2 + length;
  }
  kept.push(bytes.subarray(at));
  return concat(kept);
}

// eXIf: EXIF; tEXt/zTXt/iTXt: text, where XMP and camera notes live.
const PNG_METADATA = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt']);

function stripPng(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    const type = text(bytes, at + 4, 4);
    const end = at + 12 + length;
    if (end > bytes.length) break;
    if (!PNG_METADATA.has(type)) kept.push(bytes.subarray(at, end));
    at = end;
    // Nothing after the end of the image is kept.
    if (type === 'IEND') return concat(kept);
  }
  kept.push(bytes.subarray(at));
  return concat(kept);
}

function stripWebp(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Uint8Array[] = [];
  let at = 12;
  let changed = false;
  while (at + 8 <= bytes.length) {
    const fourcc = text(bytes, at, 4);
    const size = view.getUint32(at + 4, true);
    const end = at + 8 + size + (size % 2);
    if (end > bytes.length) break;
    if (fourcc === 'EXIF' || fourcc === 'XMP ') {
      changed = true;
    } else if (fourcc === 'VP8X' && size >= 1) {
      // The extended header's flags announce EXIF (0x08) and XMP (0x04): cleared with them.
      const chunk = bytes.slice(at, end);
      chunk[8] = chunk[8]! & ~0x0c;
      kept.push(chunk);
    } else {
      kept.push(bytes.subarray(at, end));
    }
    at = end;
  }
  if (!changed) return bytes;
  kept.push(bytes.subarray(at));
  const out = concat([bytes.subarray(0, 12), ...kept]);
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(4, out.length - 8, true);
  return out;
}
