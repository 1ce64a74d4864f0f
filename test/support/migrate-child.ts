// Child process for the "killed during migration" test (run with `node --import tsx`): applies the
// migrations in argv[3] to the database argv[2], as openDb would (with the SQL function the title
// index's triggers call), and says so on stdout just before starting.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { registerTitleEnd } from '../../src/store/sqlite/title-end.ts';

const [path = '', folder = ''] = process.argv.slice(2);
const sqlite = new Database(path);
sqlite.pragma('journal_mode = WAL');
registerTitleEnd(sqlite);
process.stdout.write('migrating\n');
migrate(drizzle(sqlite), { migrationsFolder: folder });
process.stdout.write('done\n');
