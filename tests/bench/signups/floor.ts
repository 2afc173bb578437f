// The floor the sign-up is measured against: Fastify and one INSERT per request on the same
// database kind (a pg pool of the app's size, or embedded PGlite), no session, no rule, no
// lock. Same route and the same IPC protocol as server.ts.
import { PGlite } from '@electric-sql/pglite';
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';
import { createTestDatabase } from '../../support/database.ts';
import { serveBench } from './serve.ts';

const clients = Number(process.env.BENCH_CLIENTS ?? 200);
const waves = Number(process.env.BENCH_WAVES ?? 3);
const adminUrl = process.env.BENCH_DATABASE_URL;

const table = `create table floor_signups (
  id uuid primary key default gen_random_uuid(),
  activity_id uuid not null, user_id uuid not null,
  signed_up_at timestamptz not null default now())`;
const insert = 'insert into floor_signups (activity_id, user_id) values ($1, $2) returning id';

let query: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;
let close: () => Promise<void>;
const db = await createTestDatabase(adminUrl ?? '', 'tongxin_floor');
if (db.config.databaseUrl) {
  const pool = new pg.Pool({ connectionString: db.config.databaseUrl, max: 20 });
  query = (text, values) => pool.query(text, values);
  close = () => pool.end();
} else {
  const lite = await PGlite.create();
  query = (text, values) => lite.query(text, values);
  close = () => lite.close();
}
await query(table);

const app = Fastify();
app.post<{ Params: { id: string } }>('/api/activities/:id/signup', async (request, reply) => {
  const userId = /bench=([0-9a-f-]{36})/.exec(request.headers.cookie ?? '')?.[1];
  if (!userId) return reply.code(401).send({ error: 'no user' });
  const { rows } = await query(insert, [request.params.id, userId]);
  return reply.code(201).send(rows[0]);
});

const total = 1 + 3 * waves;
await serveBench(
  app,
  {
    cookies: Array.from({ length: clients }, () => `bench=${randomUUID()}`),
    hot: Array.from({ length: total }, () => randomUUID()),
    spread: Array.from({ length: total }, () =>
      Array.from({ length: clients }, () => randomUUID()),
    ),
  },
  async () => {
    await close();
    await db.drop();
  },
);
