import { createDb } from './create-db.ts';
import { migrateToLatest } from './migrate.ts';

const handle = await createDb({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: process.env.TONGXIN_DATA_DIR ?? 'data',
});
try {
  const applied = await migrateToLatest(handle.db);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
} finally {
  await handle.close();
}
