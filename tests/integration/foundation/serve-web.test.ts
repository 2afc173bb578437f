import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.ts';

// Issue 19, cause 3: the app's files went out uncompressed. The build writes each file also
// as .br and .gz (adapter-static `precompress`); the server sends the one the browser takes,
// and hashed assets are cached for a year while index.html is revalidated.

const script = `export const greeting = ${JSON.stringify('同心'.repeat(2000))};\n`;
const html = `<!doctype html><html><body>${'<p>同心</p>'.repeat(500)}</body></html>`;
let webDir: string;
let t: TestApp;

async function writeBuilt(path: string, text: string) {
  const file = join(webDir, path);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, text);
  await writeFile(`${file}.br`, brotliCompressSync(text));
  await writeFile(`${file}.gz`, gzipSync(text));
}

beforeAll(async () => {
  webDir = await mkdtemp(join(tmpdir(), 'tongxin-web-'));
  await writeBuilt('index.html', html);
  await writeBuilt('_app/immutable/chunks/app.abc123.js', script);
  t = await buildTestApp({ webDir });
});
afterAll(async () => {
  await t.close();
  await rm(webDir, { recursive: true, force: true });
});

describe('the built web app', () => {
  it('sends a hashed script compressed, cached for a year', async () => {
    const res = await t.app.inject({
      url: '/_app/immutable/chunks/app.abc123.js',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(res.rawPayload.length).toBeLessThan(Buffer.byteLength(script) / 4);
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(script);

    const gzip = await t.app.inject({
      url: '/_app/immutable/chunks/app.abc123.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzip.headers['content-encoding']).toBe('gzip');

    const plain = await t.app.inject({ url: '/_app/immutable/chunks/app.abc123.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('revalidates index.html and the pages it stands in for', async () => {
    for (const url of ['/index.html', '/roundtables/some-id']) {
      const res = await t.app.inject({ url, headers: { 'accept-encoding': 'br, gzip' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.headers['content-type'], url).toMatch(/text\/html/);
    }
  });
});
