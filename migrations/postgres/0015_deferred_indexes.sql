-- Indexes a bulk copy dropped to fill a table fast, and builds again when it is done
-- (src/store/postgres/deferred-indexes.ts). Empty but while a copy runs, or after one was killed:
-- then the next start builds them.
CREATE TABLE "deferred_indexes" (
	"name" text PRIMARY KEY NOT NULL,
	"definition" text NOT NULL
);
