CREATE TABLE "command_hits" (
	"user_key" text NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "replicas" (
	"id" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"pid" integer NOT NULL,
	"role" text NOT NULL,
	"started_at" bigint NOT NULL,
	"last_seen_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "command_hits_user_at_idx" ON "command_hits" USING btree ("user_key","at");--> statement-breakpoint
CREATE INDEX "command_hits_at_idx" ON "command_hits" USING btree ("at");--> statement-breakpoint
CREATE INDEX "replicas_last_seen_idx" ON "replicas" USING btree ("last_seen_at");