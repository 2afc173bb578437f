import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startLiveApp } from '../../support/realtime.ts';

// A drain must not wait for a phone that asked to upgrade and was answered over HTTP (or is
// still being checked): the socket left the HTTP server's hands at the upgrade, so neither
// the server's close nor closeAllConnections ends it. Seen as a rolling restart that hung.

function upgradeRequest(port: number, path: string): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\n` +
    'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'
  );
}

describe('closing the server', () => {
  it('does not wait for a socket whose upgrade was refused and that the phone left open', async () => {
    const live = await startLiveApp();
    const port = Number(new URL(live.origin).port);
    const socket = net.connect(port, '127.0.0.1');
    const answered = new Promise<string>((resolve) => socket.once('data', (d) => resolve(`${d}`)));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(upgradeRequest(port, '/yjs/test:drain'));
    expect(await answered).toMatch(/^HTTP\/1\.1 401/);

    // The phone keeps the socket open; the drain ends it and closes.
    await live.close();
    await ended;
    expect(socket.destroyed).toBe(true);
  });
});
