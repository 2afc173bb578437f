import { describe, expect, it } from 'vitest';
import { photoSize, stripMetadata } from '@tongxin/server/roundtables/photo-bytes';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const be16 = (n: number) => [n >> 8, n & 0xff];
const be32 = (n: number) => [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
const has = (haystack: Uint8Array, needle: string) =>
  Buffer.from(haystack).includes(Buffer.from(needle, 'latin1'));

/** A JPEG segment: marker, length, body. */
const segment = (marker: number, ...body: (string | number[])[]) => {
  const inner = bytes(...body);
  return bytes([0xff, marker, ...be16(inner.length + 2)], [...inner]);
};
// An EXIF block with a GPS IFD's tag (0x8825) and a latitude written out, as phones do.
const EXIF = segment(0xe1, 'Exif\0\0', 'MM', [0, 42, 0, 0, 0, 8, 0x88, 0x25], 'GPS 31.2304N');
const XMP = segment(0xe1, 'http://ns.adobe.com/xap/1.0/\0', '<exif:GPSLatitude>31,13.8N');
const JFIF = segment(0xe0, 'JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0]);
const ICC = segment(0xe2, 'ICC_PROFILE\0', [1, 1, 0, 0]);
const SOF0 = segment(0xc0, [8, ...be16(480), ...be16(640), 1, 1, 0x11, 0]);
const SCAN = bytes([0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0], [0x12, 0xff, 0x00, 0x34], [0xff, 0xd9]);
const jpeg = (...parts: Uint8Array[]) =>
  new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xd8]), ...parts]));

const pngChunk = (type: string, data: string) => bytes(be32(data.length), type, data, [0, 0, 0, 0]);
const PNG_SIG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const IHDR = bytes(be32(13), 'IHDR', [...be32(2), ...be32(3), 8, 2, 0, 0, 0], [0, 0, 0, 0]);

const riffChunk = (fourcc: string, data: number[]) =>
  bytes(fourcc, le32(data.length), data, data.length % 2 ? [0] : []);

describe('stripping where a photo was taken', () => {
  it('drops EXIF (with GPS), XMP and comments from a JPEG and keeps the image and colours', () => {
    const comment = segment(0xfe, 'taken at home');
    const input = jpeg(JFIF, EXIF, ICC, XMP, comment, SOF0, SCAN);
    const out = stripMetadata(input, 'image/jpeg');
    expect(has(out, 'Exif')).toBe(false);
    expect(has(out, 'GPS')).toBe(false);
    expect(has(out, 'taken at home')).toBe(false);
    expect(Buffer.from(out)).toEqual(Buffer.from(jpeg(JFIF, ICC, SOF0, SCAN)));
    expect(photoSize(out, 'image/jpeg')).toEqual({ width: 640, height: 480 });
  });

  it('drops a second image appended after the end of a JPEG (with its own EXIF)', () => {
    const input = jpeg(JFIF, SOF0, SCAN, jpeg(EXIF, SOF0, SCAN));
    expect(Buffer.from(stripMetadata(input, 'image/jpeg'))).toEqual(
      Buffer.from(jpeg(JFIF, SOF0, SCAN)),
    );
  });

  it('leaves a JPEG without metadata byte for byte, and keeps a truncated one as sent', () => {
    const clean = jpeg(JFIF, SOF0, SCAN);
    expect(Buffer.from(stripMetadata(clean, 'image/jpeg'))).toEqual(Buffer.from(clean));
    const truncated = jpeg(JFIF, SOF0).subarray(0, 20);
    expect(Buffer.from(stripMetadata(truncated, 'image/jpeg'))).toEqual(Buffer.from(truncated));
  });

  it('drops eXIf and text chunks from a PNG, and anything after its end', () => {
    const idat = pngChunk('IDAT', 'pixels');
    const iend = pngChunk('IEND', '');
    const input = bytes(
      [...PNG_SIG],
      [...IHDR],
      [...pngChunk('eXIf', 'MM\0*GPS 31.2304N')],
      [...pngChunk('iTXt', 'XML:com.adobe.xmp\0\0\0\0\0<GPSLatitude>')],
      [...pngChunk('tEXt', 'Comment\0home')],
      [...idat],
      [...iend],
      'trailing GPS',
    );
    const out = stripMetadata(input, 'image/png');
    expect(has(out, 'GPS')).toBe(false);
    expect(Buffer.from(out)).toEqual(
      Buffer.from(bytes([...PNG_SIG], [...IHDR], [...idat], [...iend])),
    );
  });

  it('drops EXIF and XMP chunks from a WebP and clears their flags', () => {
    const vp8x = riffChunk('VP8X', [0x0c | 0x10, 0, 0, 0, 1, 0, 0, 2, 0, 0]);
    const image = riffChunk('VP8L', [0x2f, 1, 2, 3, 4]);
    const body = [
      vp8x,
      riffChunk('EXIF', [...Buffer.from('MM\0*GPS 31.2304N')]),
      image,
      riffChunk('XMP ', [...Buffer.from('<GPS/>')]),
    ];
    const riff = (chunks: Uint8Array[]) => {
      const inner = Buffer.concat([Buffer.from('WEBP'), ...chunks]);
      return new Uint8Array(
        Buffer.concat([Buffer.from('RIFF'), Buffer.from(le32(inner.length)), inner]),
      );
    };
    const out = stripMetadata(riff(body), 'image/webp');
    expect(has(out, 'GPS')).toBe(false);
    const cleared = riffChunk('VP8X', [0x10, 0, 0, 0, 1, 0, 0, 2, 0, 0]);
    expect(Buffer.from(out)).toEqual(Buffer.from(riff([cleared, image])));
    expect(photoSize(out, 'image/webp')).toEqual({ width: 2, height: 3 });
  });
});
