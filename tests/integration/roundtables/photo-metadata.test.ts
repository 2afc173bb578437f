import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, TEST_ORIGIN, type TestApp } from '../../support/app.ts';
import { TestClient } from '../../support/http.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const be16 = (n: number) => [n >> 8, n & 0xff];
const segment = (marker: number, body: Buffer) =>
  Buffer.concat([Buffer.from([0xff, marker, ...be16(body.length + 2)]), body]);

/** A JPEG as a phone's camera writes it: EXIF with a GPS position before the image. */
const GPS_JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8]),
  segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
  segment(
    0xe1,
    Buffer.concat([
      Buffer.from('Exif\0\0MM\0\x2a\0\0\0\x08', 'latin1'),
      // GPSInfo tag (0x8825) and the position in words, as a hostile reader would find it.
      Buffer.from([0x88, 0x25]),
      Buffer.from('GPSLatitude 31.2304 N GPSLongitude 121.4737 E', 'latin1'),
    ]),
  ),
  segment(0xc0, Buffer.from([8, ...be16(480), ...be16(640), 1, 1, 0x11, 0])),
  Buffer.from([0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0, 0x12, 0x34, 0xff, 0xd9]),
]);

it('stores an uploaded JPEG without its EXIF location, the image itself unchanged', async () => {
  const client = new TestClient(t.app);
  await client.register('camera-phone');
  const upload = await t.app.inject({
    method: 'POST',
    url: '/api/photos',
    headers: { origin: TEST_ORIGIN, 'content-type': 'image/jpeg', cookie: client.cookie! },
    payload: GPS_JPEG,
  });
  expect(upload.statusCode, upload.body).toBe(201);
  const { id } = upload.json<{ id: string }>();
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/photos/${id}`,
    headers: { cookie: client.cookie! },
  });
  expect(res.statusCode).toBe(200);
  const stored = res.rawPayload;
  expect(stored.includes('GPS')).toBe(false);
  expect(stored.includes('Exif')).toBe(false);
  // Everything but the EXIF segment is what was sent.
  const exifLength = 2 + GPS_JPEG.readUInt16BE(22);
  expect(stored.length).toBe(GPS_JPEG.length - exifLength);
  expect(stored.subarray(-14).equals(GPS_JPEG.subarray(-14))).toBe(true);
  const row = await t.app.db
    .selectFrom('photos')
    .select(['width', 'height'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ width: 640, height: 480 });
});
