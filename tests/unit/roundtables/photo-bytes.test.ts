import { describe, expect, it } from 'vitest';
import { photoSize, sniffPhotoType } from '@tongxin/server/roundtables/photo-bytes';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const le16 = (n: number) => [n & 0xff, n >> 8];
const le24 = (n: number) => [n & 0xff, (n >> 8) & 0xff, n >> 16];

const PNG_200x100 = bytes(
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13],
  'IHDR',
  [0, 0, 0, 200, 0, 0, 0, 100, 8, 2, 0, 0, 0],
);
// SOI, an APP0 segment, a DHT (which is not a frame), then SOF2 (progressive) 1200×900.
const JPEG_1200x900 = bytes(
  [0xff, 0xd8, 0xff, 0xe0, 0, 6, 0x4a, 0x46, 0x49, 0x46],
  [0xff, 0xc4, 0, 4, 0, 0],
  [0xff, 0xc2, 0, 17, 8, 0x03, 0x84, 0x04, 0xb0, 3, ...new Array<number>(12).fill(0)],
);
const webp = (chunk: string, body: number[]) =>
  bytes('RIFF', [0, 0, 0, 0], 'WEBP', chunk, [0, 0, 0, 0], body);

describe('photo bytes', () => {
  it('tells the type from the first bytes, not from what was claimed', () => {
    expect(sniffPhotoType(PNG_200x100)).toBe('image/png');
    expect(sniffPhotoType(JPEG_1200x900)).toBe('image/jpeg');
    expect(sniffPhotoType(webp('VP8 ', []))).toBe('image/webp');
    expect(sniffPhotoType(bytes('GIF89a'))).toBeNull();
    expect(sniffPhotoType(bytes('RIFF', [0, 0, 0, 0], 'WAVE'))).toBeNull();
    expect(sniffPhotoType(bytes('<svg'))).toBeNull();
    expect(sniffPhotoType(new Uint8Array())).toBeNull();
  });

  it('reads width and height from each kind of header', () => {
    expect(photoSize(PNG_200x100, 'image/png')).toEqual({ width: 200, height: 100 });
    expect(photoSize(JPEG_1200x900, 'image/jpeg')).toEqual({ width: 1200, height: 900 });
    // Lossy: frame tag (3), start code 9d 01 2a, then 14-bit sizes.
    const lossy = webp('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, ...le16(640), ...le16(480)]);
    expect(photoSize(lossy, 'image/webp')).toEqual({ width: 640, height: 480 });
    // Lossless: signature 0x2f, then width-1 and height-1 in 14 bits each.
    const packed = (800 - 1) | ((600 - 1) << 14);
    const lossless = webp('VP8L', [0x2f, ...le16(packed & 0xffff), ...le16(packed >>> 16)]);
    expect(photoSize(lossless, 'image/webp')).toEqual({ width: 800, height: 600 });
    // Extended: flags (4), then width-1 and height-1 in 24 bits each.
    const extended = webp('VP8X', [0, 0, 0, 0, ...le24(1599), ...le24(1199), 0]);
    expect(photoSize(extended, 'image/webp')).toEqual({ width: 1600, height: 1200 });
  });

  it('says nothing rather than guessing when the header is cut short or odd', () => {
    expect(photoSize(PNG_200x100.slice(0, 20), 'image/png')).toBeNull();
    expect(photoSize(JPEG_1200x900.slice(0, 12), 'image/jpeg')).toBeNull();
    expect(photoSize(bytes([0xff, 0xd8, 0xff, 0xd9]), 'image/jpeg')).toBeNull();
    expect(photoSize(webp('VP8X', [0, 0, 0, 0, 1]), 'image/webp')).toBeNull();
  });
});
