// What both bench servers (the app and its floor) do once they are set up: listen, answer the
// load generator's `take` with the statements sent since the last one, hand it their layout,
// and stop cleanly when told or when the load generator is gone.
import type { FastifyInstance } from 'fastify';
import { statementCounter } from './driver-statements.ts';

export interface Layout {
  cookies: string[];
  hot: string[];
  spread: string[][];
}

export async function serveBench(
  app: FastifyInstance,
  layout: Layout,
  release: () => Promise<void>,
): Promise<void> {
  const counter = statementCounter();
  process.on('message', (m) => {
    if (m === 'take') process.send?.({ statements: counter.take() });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  counter.take();
  process.send?.({ port, ...layout });
  const stop = async () => {
    counter.restore();
    await app.close();
    await release();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // The load generator is gone (finished or crashed): do not outlive it.
  process.on('disconnect', () => void stop());
}
