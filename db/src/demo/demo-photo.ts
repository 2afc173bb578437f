import { deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

type Rgb = [number, number, number];

/** A corridor: the wall, the floor, a battery on the floor on a cable from the socket. */
function pixel(x: number, y: number, width: number, height: number): Rgb {
  const floor = Math.round(height * 0.68);
  const battery = { left: 130, right: 186, top: 128, bottom: 200 };
  const socket = { left: 226, right: 246, top: 92, bottom: 108 };
  if (x >= socket.left && x < socket.right && y >= socket.top && y < socket.bottom)
    return [245, 245, 240];
  const onCable =
    (Math.abs(x - 236) <= 1 && y >= socket.bottom && y < 150) ||
    (Math.abs(y - 150) <= 1 && x >= battery.right && x <= 236);
  if (onCable) return [200, 22, 29];
  if (x >= battery.left && x < battery.right && y >= battery.top && y < battery.bottom)
    return y < battery.top + 10 ? [90, 90, 90] : [40, 40, 44];
  if (y >= floor) return [150 - (y - floor) / 2, 140 - (y - floor) / 2, 128 - (y - floor) / 2];
  const shade = 226 - Math.round((y / floor) * 24);
  return [shade, shade - 6, shade - 14];
}

/** A small photo drawn here, so the demo needs no image file in the repository. */
export function demoCorridorPng(width = 320, height = 240): Buffer {
  const stride = width * 3 + 1;
  const rows = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y, width, height);
      rows.set([r, g, b], y * stride + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // truecolour
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
