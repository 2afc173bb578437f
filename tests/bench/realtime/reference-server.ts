// The reference: @y/websocket-server 0.1.1 as its own bin sets it up (no auth, no storage).
import http from 'node:http';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import { benchMemory } from './memory.ts';

const server = http.createServer((req, res) => {
  if (req.url === '/__bench/memory') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(benchMemory()));
    return;
  }
  res.writeHead(200).end('ok');
});
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`BENCH_READY ${JSON.stringify({ port, cookie: '' })}`);
});
process.once('SIGTERM', () => process.exit(0));
