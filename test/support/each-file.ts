import { afterAll } from 'vitest';
import { closeLazyPostgresStores, endRecycling, testBackend } from './postgres-test-db.ts';

// Run before every test file (vitest.config.ts `setupFiles`), also when files share a worker's
// modules: what a file's PostgreSQL tests left open is closed after that file (and its schemas
// emptied for the next file: postgres-test-db.ts).

afterAll(async () => {
  if (testBackend() === 'postgres') await closeLazyPostgresStores();
  await endRecycling();
});
