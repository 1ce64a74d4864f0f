ALTER TABLE "channel_digests" ADD COLUMN "source" text DEFAULT 'hf' NOT NULL;--> statement-breakpoint
ALTER TABLE "channel_digests" ADD COLUMN "last_announcement" text;