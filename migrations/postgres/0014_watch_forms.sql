-- The matcher's compiled watch texts (src/watches/watch-form.ts), a cache: a restarted bot reads
-- them instead of parsing and stemming every watch text. A migration that changes the tokenizer
-- should empty this table (DELETE FROM watch_forms), or the watch form version be bumped.
CREATE TABLE "watch_forms" (
	"query" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"form" text NOT NULL
);
