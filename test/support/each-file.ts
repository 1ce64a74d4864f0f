import { afterAll } from 'vitest';
import { closeLazyPostgresStores, dropSpareSchemas, testBackend } from './postgres-test-db.ts';

// Run before every test file (vitest.config.ts `setupFiles`), also when files share a worker's
// modules: what a file's PostgreSQL tests left open is closed and dropped after that file.

afterAll(async () => {
  if (testBackend() === 'postgres') await closeLazyPostgresStores();
  await dropSpareSchemas();
});
